package net.lightqueue.host.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Feeds a decoder of stored bytes with mutations of valid encodings and with random bytes, and
 * checks that it only ever fails with its own decode error, allocates in proportion to its
 * input (a corrupt length must not allocate what it claims), and returns. Seeded: the seed and
 * the failing input are in the failure message; {@code -Dfuzz.seed=N} replays a run and
 * {@code -Dfuzz.codecCases=N} sets the number of inputs per decoder.
 */
public final class DecoderFuzzer {

    /** Values that break length and count fields: signs, overflows and off-by-ones. */
    private static final int[] EDGE_INTS = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0x7FFF_FFF0};
    /** What a decode may allocate beyond a multiple of its input: the exception and its stack trace. */
    private static final long ALLOCATION_SLACK = 48 * 1024;
    private static final long ALLOCATION_PER_INPUT_BYTE = 16;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String name;
    private final Function<byte[], ?> decoder;
    private final Class<? extends RuntimeException> decodeError;

    private DecoderFuzzer(String name, Function<byte[], ?> decoder, Class<? extends RuntimeException> decodeError) {
        this.name = name;
        this.decoder = decoder;
        this.decodeError = decodeError;
    }

    /** @param decodeError the one exception type the decoder reports bad bytes with */
    public static DecoderFuzzer of(String name, Function<byte[], ?> decoder, Class<? extends RuntimeException> decodeError) {
        return new DecoderFuzzer(name, decoder, decodeError);
    }

    public static int cases(int ciDefault) {
        return Integer.getInteger("fuzz.codecCases", ciDefault);
    }

    /** Decodes {@code cases} inputs derived from {@code validEncodings}; fails with the seed and the input. */
    public void fuzz(List<byte[]> validEncodings, int cases) {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] current = new byte[1][];
        try {
            // A decoder that loops forever fails here instead of hanging the build.
            assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
                for (int i = 0; i < cases; i++) {
                    current[0] = next(random, validEncodings);
                    check(current[0]);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(name + " fuzz failed (-Dfuzz.seed=" + seed + ") on input "
                + hex(current[0]) + ": " + e.getMessage(), e);
        }
    }

    /** One input, for the named regression cases. */
    public void check(byte[] input) {
        long allowed = ALLOCATION_SLACK + ALLOCATION_PER_INPUT_BYTE * input.length;
        // A second decode tells a corrupt length's allocation from one-time class initialisation.
        if (decodeAllocating(input) > allowed && decodeAllocating(input) > allowed) {
            fail(name + " allocated more than " + allowed + " bytes decoding " + input.length + " bytes: " + hex(input));
        }
    }

    private long decodeAllocating(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            decoder.apply(input);
        } catch (RuntimeException e) {
            if (!decodeError.isInstance(e)) {
                fail(name + " threw " + e + " instead of " + decodeError.getSimpleName() + " for " + hex(input), e);
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static byte[] next(SplittableRandom random, List<byte[]> validEncodings) {
        if (random.nextInt(10) == 0) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] input = validEncodings.get(random.nextInt(validEncodings.size())).clone();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            input = mutate(random, input);
        }
        return input;
    }

    private static byte[] mutate(SplittableRandom random, byte[] input) {
        int at = input.length == 0 ? 0 : random.nextInt(input.length);
        switch (random.nextInt(6)) {
            case 0 -> {
                return Arrays.copyOf(input, at); // truncated
            }
            case 1 -> {
                byte[] longer = Arrays.copyOf(input, input.length + 1 + random.nextInt(16));
                for (int i = input.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                return longer;
            }
            case 2 -> {
                if (input.length > 0) {
                    input[at] ^= (byte) (1 << random.nextInt(8));
                }
                return input;
            }
            case 3 -> {
                if (input.length > 0) {
                    input[at] = (byte) random.nextInt(256);
                }
                return input;
            }
            case 4 -> {
                return putEdge(random, input, at, 2);
            }
            default -> {
                return putEdge(random, input, at, 4);
            }
        }
    }

    /** Overwrites {@code width} bytes at {@code at} with a big-endian edge value. */
    private static byte[] putEdge(SplittableRandom random, byte[] input, int at, int width) {
        int value = EDGE_INTS[random.nextInt(EDGE_INTS.length)];
        for (int i = 0; i < width && at + i < input.length; i++) {
            input[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
        return input;
    }

    private static String hex(byte[] input) {
        return input == null ? "(none)" : HexFormat.of().formatHex(input);
    }
}
