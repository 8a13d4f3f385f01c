package dev.herald.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One run of the {@code herald} command line in this JVM, with what it printed on stdout and on stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** {@code args} followed by {@code --config config}. */
    static CliRun withConfig(Path config, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        return of(full);
    }

    /** The first group of {@code pattern}'s first match in stdout; the run's output must contain one. */
    String find(Pattern pattern) {
        Matcher m = pattern.matcher(out);
        assertThat(m.find()).as("output %s matches %s", out, pattern).isTrue();
        return m.group(1);
    }
}
