package net.lightqueue.mqtt.codec;

/**
 * What is wrong with something a client sent. Every check of client input answers with one of
 * these, or null when nothing is wrong: a description for the log line (naming the statement
 * of the specification where there is one), and whether it breaks the packet itself
 * ({@link #malformed}: the connection ends) or only makes the request refusable with a reason
 * code.
 */
public record InputProblem(String description, boolean malformed) {

    /** The packet is malformed: MQTT 5 answers 0x81 and closes, MQTT 3.1.1 closes. */
    public static InputProblem malformed(String description) {
        return new InputProblem(description, true);
    }

    /** Well-formed, but not acceptable: the request is refused with a reason code. */
    public static InputProblem invalid(String description) {
        return new InputProblem(description, false);
    }

    /** The same problem, said of the part of the packet it is in. */
    public InputProblem in(String part) {
        return new InputProblem(part + ": " + description, malformed);
    }

    @Override
    public String toString() {
        return description;
    }
}
