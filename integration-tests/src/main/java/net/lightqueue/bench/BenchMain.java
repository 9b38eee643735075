package net.lightqueue.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The MQTT benchmark runner. Prints progress to stderr, then a readable report and a final
 * {@code RESULT {...}} JSON line to stdout; see {@link BenchOptions#USAGE} for options and exit codes.
 */
public final class BenchMain {
    static final int EXIT_OK = 0;
    static final int EXIT_BROKEN_GUARANTEE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_SETUP = 3;

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean guarded) {
        if (Arrays.asList(args).contains("--help")) {
            out.print(BenchOptions.USAGE);
            return EXIT_OK;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (UsageException e) {
            err.println("mqtt-bench: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return EXIT_USAGE;
        }
        if (guarded) {
            Watchdog.guard(options, err);
        }
        try {
            Result result = BenchRun.execute(options, err);
            List<String> failures = Verdict.failures(options, result);
            result.put("ok", failures.isEmpty());
            out.println(options.scenario() + " results:");
            result.printReport(out);
            failures.forEach(f -> err.println("FAILED: " + f));
            out.println(result.jsonLine());
            return failures.isEmpty() ? EXIT_OK : EXIT_BROKEN_GUARANTEE;
        } catch (SetupException e) {
            err.println("mqtt-bench: setup failed: " + e.getMessage());
            out.println(new Result().put("scenario", options.scenario()).put("label", options.label())
                    .put("ok", false).put("error", e.getMessage()).jsonLine());
            return EXIT_SETUP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_SETUP;
        }
    }
}
