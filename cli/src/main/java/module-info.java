/**
 * The {@code pgoutput} command line: {@code tail}, {@code slot create|drop|list} and {@code snapshot}.
 */
module dev.pgoutput.cli {
    requires dev.pgoutput.core;
    requires dev.pgoutput.json;
    requires info.picocli;

    // picocli builds the commands by reflection.
    opens dev.pgoutput.cli to info.picocli;
}
