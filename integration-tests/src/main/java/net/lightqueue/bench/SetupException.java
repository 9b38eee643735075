package net.lightqueue.bench;

/** The run could not be set up (bad target, broker refused or unreachable): exit code 3. */
final class SetupException extends RuntimeException {
    SetupException(String message) {
        super(message);
    }

    SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
