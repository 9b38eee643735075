package net.lightqueue.mqtt.message;

/**
 * Percent-escaping for text inside RocketMQ message properties. RocketMQ separates properties
 * with U+0001 and U+0002, so those, '%' itself and any caller-given ASCII separators are
 * written as %XX; everything else stays readable.
 */
public final class PropertyText {

    private PropertyText() {
    }

    public static String escape(String text, String separators) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean special = c == '%' || c == '\u0001' || c == '\u0002' || separators.indexOf(c) >= 0;
            if (special && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (special) {
                out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Reverses {@link #escape}; only ASCII characters are ever escaped. A '%' not followed by two hex digits is kept. */
    public static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
            if (low >= 0) {
                out.append((char) (high << 4 | low));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
