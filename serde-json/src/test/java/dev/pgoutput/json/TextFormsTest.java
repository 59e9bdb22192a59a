package dev.pgoutput.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextFormsTest {

    private static boolean integer(String s) {
        byte[] b = ("##" + s + "##").getBytes(StandardCharsets.ISO_8859_1);
        return TextForms.isJsonLong(b, 2, b.length - 4);
    }

    private static boolean number(String s) {
        byte[] b = ("99" + s + "99").getBytes(StandardCharsets.ISO_8859_1);
        return TextForms.isJsonNumber(b, 2, b.length - 4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "0|true", "7|true", "-7|true", "-0|true", "1234567890|true", "999999999999999999|true",
            "9223372036854775807|true", "-9223372036854775808|true", "9223372036854775808|false",
            "-9223372036854775809|false", "9999999999999999999|false", "12345678901234567890|false",
            "|false", "-|false", "+1|false", "01|false", "-01|false", "1.0|false", "1e3|false", "' 1'|false",
            "'1 '|false", "1-|false", "١|false"})
    void jsonLongs(String text, boolean expected) {
        assertEquals(expected, integer(text == null ? "" : text), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|true", "-0|true", "1.5|true", "-0.0000001|true", "100.00|true", "1e+100|true", "1E-7|true", "2e5|true",
            "12345678901234567890.123456789|true", "|false", "-|false", ".5|false", "5.|false", "+5|false",
            "01.5|false", "1e|false", "1e+|false", "1.e5|false", "NaN|false", "Infinity|false", "-Infinity|false",
            "0x10|false", "1_000|false", "1.5.5|false", "--1|false"})
    void jsonNumbers(String text, boolean expected) {
        assertEquals(expected, number(text == null ? "" : text), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "41|true", "c3a9|true", "e282ac|true", "f09f9880|true", "efbfbf|true", "f48fbfbf|true", "7f|true",
            "c3|false", "c328|false", "80|false", "bf|false", "c0af|false", "c1bf|false", "e080af|false",
            "eda080|false", "edbfbf|false", "f08f8080|false", "f4908080|false", "f5808080|false", "ff|false",
            "e282|false", "f09f98|false", "41c3a9e282acf09f988041|true"})
    void wellFormedUtf8(String hex, boolean expected) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        byte[] framed = new byte[bytes.length + 2];
        framed[0] = (byte) 0x80; // a stray continuation byte on each side: must stay outside the window
        System.arraycopy(bytes, 0, framed, 1, bytes.length);
        framed[framed.length - 1] = (byte) 0x80;
        assertEquals(expected, TextForms.isWellFormedUtf8(framed, 1, bytes.length), hex);
    }
}
