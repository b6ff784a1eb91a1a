package io.fjord.protocol.generator;

/** Java source text with four-space indentation; {@code open}/{@code close} manage braces. */
final class CodeBuffer {

    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();
    private int depth;

    /** Appends one line at the current indentation; {@code format} uses {@link String#format} rules. */
    CodeBuffer line(String format, Object... args) {
        String content = args.length == 0 ? format : String.format(format, args);
        if (!content.isEmpty()) {
            text.append(INDENT.repeat(depth)).append(content);
        }
        text.append('\n');
        return this;
    }

    CodeBuffer blank() {
        text.append('\n');
        return this;
    }

    /** Appends {@code header + " {"} and indents. */
    CodeBuffer open(String format, Object... args) {
        String header = args.length == 0 ? format : String.format(format, args);
        line(header.isEmpty() ? "{" : header + " {");
        depth++;
        return this;
    }

    /** Dedents and appends {@code "}"}. */
    CodeBuffer close() {
        depth--;
        if (depth < 0) {
            throw new IllegalStateException("unbalanced braces in generated code");
        }
        return line("}");
    }

    /** Dedents, appends {@code "} " + middle + " {"} and indents again (for else branches). */
    CodeBuffer reopen(String middle) {
        depth--;
        line("} " + middle + " {");
        depth++;
        return this;
    }

    /** Opens {@code if (condition)} unless it is the literal {@code true}; returns whether a block was opened. */
    boolean openIf(String condition) {
        if (condition.equals("true")) {
            return false;
        }
        open("if (%s)", condition);
        return true;
    }

    void closeIf(boolean opened) {
        if (opened) {
            close();
        }
    }

    int depth() {
        return depth;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
