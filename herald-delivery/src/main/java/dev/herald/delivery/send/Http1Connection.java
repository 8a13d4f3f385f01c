package dev.herald.delivery.send;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 connection to a receiver, used by one exchange at a time: writes a POST (head and body in one write)
 * and reads the answer into the parts Herald keeps — the status, {@code Retry-After} and the first bytes of the body —
 * parsing the head in place in the connection's own buffer, so an exchange allocates little beyond its result.
 * Blocking I/O, meant for virtual threads; the sender's deadline closes the socket to end a late exchange.
 */
final class Http1Connection implements AutoCloseable {
    /** The answer's parts the engine keeps; {@code reusable} is whether the connection may carry another request. */
    record Response(int status, String body, Optional<String> retryAfter, boolean reusable) {
    }

    /** Holds one head line: a longer header line is refused (Jetty's whole-head default is 8 KiB too). */
    private static final int IN_BUFFER = 8 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    /**
     * How much of an answer's body is read at most: beyond it the connection is closed instead of drained, so a
     * receiver's huge answer costs neither memory nor much bandwidth.
     */
    private static final long MAX_DRAINED = 1 << 20;
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE_END = "\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long openedNanos;
    private final int bodyLimit;
    private final byte[] input = new byte[IN_BUFFER];
    private int position;
    private int limit;
    /** The request as written: head and (small) body, reused by every request on the connection. */
    private byte[] output = new byte[2048];
    private int written;
    /** The first {@code bodyLimit} bytes of the answer's body; allocated on the first answer that has a body. */
    private byte[] kept;
    private int keptLength;
    private long idleSinceNanos;
    private int exchanges;
    /** Whether the current exchange has read any byte of an answer (so a failure is not a stale connection's). */
    private boolean answered;

    Http1Connection(Socket socket, int bodyLimit) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.openedNanos = System.nanoTime();
        this.bodyLimit = bodyLimit;
    }

    long openedNanos() {
        return openedNanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /** Whether this connection carried an exchange before the current one (it may have been closed while idle). */
    boolean reused() {
        return exchanges > 1;
    }

    /** Whether the current exchange failed before any byte of an answer came back. */
    boolean unanswered() {
        return !answered;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    /**
     * Sends one POST and reads its answer: the request line, then the per-request {@code headers} in their order, then
     * the headers fixed per URL and per sender ({@code fixedHeaders}), the length and the body.
     */
    Response post(byte[] requestLine, Map<String, String> headers, byte[] fixedHeaders, byte[] body)
            throws IOException {
        exchanges++;
        answered = false;
        written = 0;
        append(requestLine);
        if (headers instanceof HeaderMap attempt) {
            // an attempt's own headers: read by position, with no entry made per header, a value put as bytes as it is
            for (int i = 0; i < attempt.size(); i++) {
                byte[] ascii = attempt.asciiValue(i);
                if (ascii != null) {
                    appendHeader(attempt.name(i), ascii);
                } else {
                    appendHeader(attempt.name(i), attempt.value(i));
                }
            }
        } else {
            for (var header : headers.entrySet()) {
                appendHeader(header.getKey(), header.getValue());
            }
        }
        append(fixedHeaders);
        append(CONTENT_LENGTH);
        appendDecimal(body.length);
        append(KEEP_ALIVE_END);
        // One write for head and body unless the body is large: a small request is one TCP segment.
        if (body.length <= 64 * 1024) {
            append(body);
            out.write(output, 0, written);
        } else {
            out.write(output, 0, written);
            out.write(body);
        }
        out.flush();
        return readResponse();
    }

    /**
     * Copies a header line as Latin-1 bytes (each char's low byte: a bulk copy for the Latin-1 strings headers are),
     * then refuses any line a byte of which would end it early. Endpoint header values are checked when saved (no
     * control characters, nothing above U+00FF) and Herald's own are ASCII; a char above U+00FF, were one to come,
     * is sent as its low byte, and refused when that byte is CR, LF or NUL, so no header can split the head.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low-byte copy wanted here
    private void appendHeader(String name, String value) throws HttpFormatException {
        int valueLength = value.length();
        int valueStart = appendName(name, valueLength);
        value.getBytes(0, valueLength, output, written);
        written += valueLength;
        endValue(name, valueStart);
    }

    /** A header whose value is already its bytes (the signatures): copied, then checked as a string's would be. */
    private void appendHeader(String name, byte[] value) throws HttpFormatException {
        int valueStart = appendName(name, value.length);
        System.arraycopy(value, 0, output, written, value.length);
        written += value.length;
        endValue(name, valueStart);
    }

    /** Appends {@code name: } with room for a value of {@code valueLength} after it; returns where the value starts. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low-byte copy wanted here
    private int appendName(String name, int valueLength) throws HttpFormatException {
        int nameLength = name.length();
        if (nameLength == 0) {
            throw new HttpFormatException("a header without a name cannot be sent");
        }
        ensure(nameLength + valueLength + 4);
        int start = written;
        name.getBytes(0, nameLength, output, written);
        written += nameLength;
        for (int i = start; i < written; i++) {
            byte b = output[i];
            if (b <= ' ' || b == ':' || b == 0x7f) { // a negative byte is above 0x7f: not a token character either
                throw new HttpFormatException("header name '" + name + "' cannot be sent");
            }
        }
        output[written++] = ':';
        output[written++] = ' ';
        return written;
    }

    /** Refuses a value a byte of which would end the line early, then ends the line. */
    private void endValue(String name, int valueStart) throws HttpFormatException {
        for (int i = valueStart; i < written; i++) {
            byte b = output[i];
            if (b == '\r' || b == '\n' || b == 0) {
                throw new HttpFormatException("header '" + name + "' has a value that cannot be sent");
            }
        }
        output[written++] = '\r';
        output[written++] = '\n';
    }

    /** Appends {@code value}, not negative, in decimal digits. */
    private void appendDecimal(int value) {
        int digits = 1;
        for (int rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = written + digits - 1; i >= written; i--) {
            output[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        written += digits;
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, output, written, bytes.length);
        written += bytes.length;
    }

    private void ensure(int more) {
        if (written + more > output.length) {
            output = Arrays.copyOf(output, Math.max(written + more, 2 * output.length));
        }
    }

    private Response readResponse() throws IOException {
        int headBytes = 0;
        while (true) {
            int lineEnd = nextLine();
            int status = statusOf(lineEnd);
            boolean http10 = input[position + 7] == '0';
            position = lineEnd;
            skipLineBreak();
            long contentLength = -1;
            boolean chunked = false;
            boolean close = http10;
            String retryAfter = null;
            for (int end = nextLine(); end > position; end = nextLine()) {
                headBytes += end - position;
                if (headBytes > MAX_HEAD) {
                    throw new HttpFormatException("the answer's head is longer than " + MAX_HEAD + " bytes");
                }
                int colon = indexOf((byte) ':', position, end);
                if (colon > position) {
                    int valueStart = skipSpaces(colon + 1, end);
                    int valueEnd = trimSpaces(valueStart, end);
                    if (nameIs("content-length", colon)) {
                        long length = digits(valueStart, valueEnd);
                        if (contentLength >= 0 && contentLength != length) {
                            throw new HttpFormatException("the answer has two different Content-Length headers");
                        }
                        contentLength = length;
                    } else if (nameIs("transfer-encoding", colon)) {
                        chunked = containsIgnoringCase("chunked", valueStart, valueEnd);
                        close |= !chunked;
                    } else if (nameIs("connection", colon)) {
                        close |= containsIgnoringCase("close", valueStart, valueEnd);
                        if (http10 && containsIgnoringCase("keep-alive", valueStart, valueEnd)) {
                            close = false;
                        }
                    } else if ((status == 429 || status == 503) && nameIs("retry-after", colon) && retryAfter == null) {
                        retryAfter = new String(input, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
                    }
                }
                position = end;
                skipLineBreak();
            }
            skipLineBreak();
            // Both framings at once may be a smuggling attempt: the chunked framing is read, and the connection then
            // closed (RFC 9112, 6.3).
            close |= chunked && contentLength >= 0;
            if (status >= 100 && status < 200) {
                if (status == 101) {
                    throw new HttpFormatException("the receiver switched protocols (101)");
                }
                continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            keptLength = 0;
            boolean complete;
            if (status == 204 || status == 304) {
                complete = true;
            } else if (chunked) {
                complete = readChunked();
            } else if (contentLength >= 0) {
                complete = readBody(contentLength);
            } else {
                readBody(Long.MAX_VALUE);
                complete = false; // delimited by the connection's end: it cannot carry another request
            }
            String body = keptLength == 0 ? "" : new String(kept, 0, keptLength, StandardCharsets.UTF_8);
            // Bytes after a complete answer are not an answer to anything Herald sent: the connection is not trusted.
            return new Response(status, body, Optional.ofNullable(retryAfter), complete && !close && position == limit);
        }
    }

    /** Reads a body of {@code length} bytes (until the end of the stream for {@code Long.MAX_VALUE}). */
    private boolean readBody(long length) throws IOException {
        long left = length;
        long drained = 0;
        while (left > 0) {
            if (position == limit && !fill()) {
                if (length == Long.MAX_VALUE) {
                    return true;
                }
                throw new EOFException("the receiver closed the connection before the end of the answer's body");
            }
            int take = (int) Math.min(left, limit - position);
            keep(take);
            left -= take;
            drained += take;
            if (drained > MAX_DRAINED && left > 0) {
                return false;
            }
        }
        return true;
    }

    private boolean readChunked() throws IOException {
        long drained = 0;
        while (true) {
            int end = nextLine();
            long size = chunkSize(position, end);
            position = end;
            skipLineBreak();
            if (size == 0) {
                // trailers, then the empty line that ends the message
                for (int trailer = nextLine(); trailer > position; trailer = nextLine()) {
                    position = trailer;
                    skipLineBreak();
                }
                skipLineBreak();
                return true;
            }
            if (!readBody(size)) {
                return false;
            }
            drained += size;
            if (drained > MAX_DRAINED) {
                return false;
            }
            int lineEnd = nextLine();
            if (lineEnd != position) {
                throw new HttpFormatException("a chunk of the answer's body is longer than its size");
            }
            skipLineBreak();
        }
    }

    private void keep(int take) {
        int room = Math.min(take, bodyLimit - keptLength);
        if (room > 0) {
            if (kept == null) {
                kept = new byte[bodyLimit];
            }
            System.arraycopy(input, position, kept, keptLength, room);
            keptLength += room;
        }
        position += take;
    }

    /**
     * The end (exclusive, before any CR) of the line starting at {@code position}, reading more as needed; the line
     * break itself is left for {@link #skipLineBreak}.
     */
    private int nextLine() throws IOException {
        int from = position;
        while (true) {
            int lf = indexOf((byte) '\n', from, limit);
            if (lf >= 0) {
                return lf > position && input[lf - 1] == '\r' ? lf - 1 : lf;
            }
            from = limit;
            if (position > 0) {
                // move the partial line to the front to make room for the rest of it
                System.arraycopy(input, position, input, 0, limit - position);
                from -= position;
                limit -= position;
                position = 0;
            }
            if (limit == input.length) {
                throw new HttpFormatException("a line of the answer's head is longer than " + IN_BUFFER + " bytes");
            }
            if (!fill()) {
                throw new EOFException(answered
                        ? "the receiver closed the connection in the middle of its answer"
                        : "the receiver closed the connection without answering");
            }
        }
    }

    private void skipLineBreak() {
        if (position < limit && input[position] == '\r') {
            position++;
        }
        if (position < limit && input[position] == '\n') {
            position++;
        }
    }

    /** Reads more of the answer after what is buffered; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
        }
        int n = in.read(input, limit, input.length - limit);
        if (n < 0) {
            return false;
        }
        answered |= n > 0;
        limit += n;
        return true;
    }

    private int statusOf(int lineEnd) throws HttpFormatException {
        int p = position;
        if (lineEnd - p < 12 || input[p] != 'H' || input[p + 1] != 'T' || input[p + 2] != 'T' || input[p + 3] != 'P'
                || input[p + 4] != '/' || input[p + 5] != '1' || input[p + 6] != '.' || input[p + 8] != ' ') {
            throw new HttpFormatException("the answer does not start with an HTTP/1.x status line");
        }
        int status = 0;
        for (int i = p + 9; i < p + 12; i++) {
            byte b = input[i];
            if (b < '0' || b > '9') {
                throw new HttpFormatException("the answer's status is not a number");
            }
            status = status * 10 + (b - '0');
        }
        if (status < 100 || (lineEnd > p + 12 && input[p + 12] != ' ')) {
            throw new HttpFormatException("the answer's status is not a three-digit code");
        }
        return status;
    }

    private boolean nameIs(String lowerName, int colon) {
        return colon - position == lowerName.length() && matchesIgnoringCase(lowerName, position);
    }

    private boolean containsIgnoringCase(String lowerWord, int from, int to) {
        for (int start = from; start + lowerWord.length() <= to; start++) {
            if (matchesIgnoringCase(lowerWord, start)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the buffer holds {@code lowerWord} at {@code at}, in any case. */
    private boolean matchesIgnoringCase(String lowerWord, int at) {
        for (int i = 0; i < lowerWord.length(); i++) {
            int b = input[at + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long digits(int from, int to) throws HttpFormatException {
        if (from == to || to - from > 18) {
            throw new HttpFormatException("the answer's Content-Length is not a length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = input[i];
            if (b < '0' || b > '9') {
                throw new HttpFormatException("the answer's Content-Length is not a length");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private long chunkSize(int from, int to) throws HttpFormatException {
        long size = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte b = input[i];
            int d = Character.digit(b, 16);
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break; // chunk extensions, ignored
                }
                throw new HttpFormatException("a chunk size of the answer's body is not hexadecimal");
            }
            if (++digits > 15) {
                throw new HttpFormatException("a chunk of the answer's body is too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new HttpFormatException("a chunk of the answer's body has no size");
        }
        return size;
    }

    private int indexOf(byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (input[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpaces(int from, int to) {
        while (from < to && (input[from] == ' ' || input[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimSpaces(int from, int to) {
        while (to > from && (input[to - 1] == ' ' || input[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** Closes the socket; safe from any thread, which is how a late exchange is ended. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was wanted; the socket is unusable either way
        }
    }

    /** An answer that is not well-formed HTTP/1.1, or a request header Herald refuses to write. */
    static final class HttpFormatException extends IOException {
        HttpFormatException(String message) {
            super(message);
        }
    }
}
