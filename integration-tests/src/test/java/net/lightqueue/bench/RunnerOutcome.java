package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the runner's command line in-process and reads its exit code and RESULT line, as a script would. */
record RunnerOutcome(int exitCode, String resultLine, String stderr) {

    static RunnerOutcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        String result = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(Result.LINE_PREFIX)).reduce((a, b) -> b).orElse(null);
        return new RunnerOutcome(code, result, err.toString(StandardCharsets.UTF_8));
    }

    long number(String key) {
        return Math.round(Double.parseDouble(raw(key)));
    }

    String raw(String key) {
        assertNotNull(resultLine, () -> "no RESULT line; stderr:\n" + stderr);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)").matcher(resultLine);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + resultLine);
        }
        return m.group(1);
    }
}
