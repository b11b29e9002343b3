package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** What is kept of a training log: the newest lines within the limits, whatever the stream's size. */
class LogTailTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String numbered(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void givenALogWithinTheLimits_whenRead_thenEveryLineIsKeptAndNothingIsTruncated() throws IOException {
        LogTail tail = new LogTail.Limits(40, 8192).read("pod p container c", stream("a\r\nb\nc\n"));

        assertThat(tail.lines()).containsExactly("a", "b", "c");
        assertThat(tail.truncated()).isFalse();
        assertThat(tail.heading()).isEqualTo("3 lines of pod p container c");
    }

    @Test
    void givenMoreLinesThanTheLimit_whenRead_thenTheNewestAreKeptAndItIsTruncated() throws IOException {
        LogTail tail = new LogTail.Limits(3, 8192).read("pod p", stream(numbered(10)));

        assertThat(tail.lines()).containsExactly("line 8", "line 9", "line 10");
        assertThat(tail.truncated()).isTrue();
        assertThat(tail.heading()).isEqualTo("last 3 lines of pod p");
    }

    @Test
    void givenAStreamManyTimesTheByteLimit_whenRead_thenOnlyWholeNewestLinesWithinTheBytesAreKept()
            throws IOException {
        String log = numbered(100_000);

        LogTail tail = new LogTail.Limits(1000, 64).read("pod p", stream(log));

        assertThat(String.join("\n", tail.lines()).getBytes(StandardCharsets.UTF_8).length + 1)
                .isLessThanOrEqualTo(64);
        assertThat(tail.lines()).last().isEqualTo("line 100000");
        assertThat(tail.lines()).allMatch(line -> line.matches("line \\d+"))
                .as("no line cut at its start").doesNotContain("ine 99994", "ne 99994");
        assertThat(tail.truncated()).isTrue();
    }

    @Test
    void givenOneLineLongerThanTheByteLimit_whenRead_thenItsEndIsKept() throws IOException {
        LogTail tail = new LogTail.Limits(40, 10).read("pod p", stream("x".repeat(100) + "END"));

        assertThat(tail.lines()).containsExactly("xxxxxxxEND");
        assertThat(tail.truncated()).isTrue();
    }

    @Test
    void givenMultiByteCharacters_whenTheByteLimitCutsOne_thenTheCutLineIsDroppedWhole() throws IOException {
        LogTail tail = new LogTail.Limits(40, 12).read("pod p", stream("ééééé\nok: ✓\n"));

        assertThat(tail.lines()).containsExactly("ok: ✓");
    }

    @Test
    void givenAnEmptyLog_whenRead_thenItSaysThePodPrintedNothing() throws IOException {
        LogTail tail = LogTail.Limits.DEFAULT.read("pod p", stream(""));

        assertThat(tail.lines()).isEmpty();
        assertThat(tail.heading()).isEqualTo("pod p printed nothing");
    }

    @Test
    void givenALogTail_whenOnlySomeBytesFit_thenTheNewestWholeLinesThatFitAreGiven() {
        LogTail tail = LogTail.of("pod p", java.util.List.of("first line", "second", "third"), false);

        assertThat(tail.lastFitting(13)).containsExactly("second", "third");
        assertThat(tail.lastFitting(5)).containsExactly("…d");
        assertThat(tail.lastFitting(1000)).containsExactly("first line", "second", "third");
    }

    @Test
    void givenLimitsOfZeroLines_whenAsked_thenNoLogIsRead() {
        assertThat(new LogTail.Limits(0, 8192).off()).isTrue();
        assertThat(LogTail.Limits.DEFAULT.off()).isFalse();
        assertThat(LogTail.Limits.DEFAULT).isEqualTo(new LogTail.Limits(40, 8192));
    }

    @Test
    void givenALogThatCouldNotBeRead_whenShown_thenTheHeadingSaysWhy() {
        LogTail tail = LogTail.unavailable("Job j", "no pod of it is left");

        assertThat(tail.heading()).isEqualTo("no log of Job j: no pod of it is left");
        assertThat(tail.lastFitting(100)).isEmpty();
    }
}
