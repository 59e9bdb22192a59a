package dev.pgoutput.transport.pgjdbc.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy between a client and a server, for network faults inside a test: forward,
 * {@link #cutAll() cut} (close both sides at once, as a reset or a killed middlebox would) or
 * {@link #blackholeAll() blackhole} (keep both sockets open and drop every byte in both directions, as a
 * firewall or a dead NAT entry does: neither side hears anything, neither side gets an error). Faults
 * apply to the connections open at that moment; connections made afterwards forward normally, so a
 * client that reconnects gets through.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    /** Starts a proxy on a free loopback port that forwards to {@code targetPort} on loopback. */
    public TcpProxy(int targetPort) throws IOException {
        this(0, targetPort);
    }

    /**
     * Starts a proxy on loopback port {@code listenPort} (0: a free one) that forwards to {@code targetPort}: a
     * server that "comes up" on a port clients already try.
     */
    public TcpProxy(int listenPort, int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 16);
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many client connections the proxy has accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Closes every open connection on both sides. */
    public void cutAll() {
        for (Link link : links) {
            link.close();
        }
    }

    /** From now on, the open connections carry nothing in either direction; nobody is told. */
    public void blackholeAll() {
        for (Link link : links) {
            link.blackholed = true;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket server = new Socket();
                server.connect(target, 5_000);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }

    /** One proxied connection: two sockets and a pump thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean blackholed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "tcp-proxy-up");
            pump(server, client, "tcp-proxy-down");
        }

        private void pump(Socket from, Socket to, String name) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        // Blackholed bytes are read and dropped, so the sender's writes keep succeeding.
                        if (!blackholed) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // Closed by cutAll() or by the other side: the link is over.
                } finally {
                    if (blackholed) {
                        // A blackhole does not pass a close on either: the other side learns nothing.
                        closeQuietly(from);
                    } else {
                        close();
                    }
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }

        private void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }
}
