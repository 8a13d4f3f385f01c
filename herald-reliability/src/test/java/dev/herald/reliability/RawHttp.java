package dev.herald.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.x over a plain socket, for requests no HTTP client would send: the bytes go out exactly as given, and
 * one response comes back (interim 1xx answers skipped), its body read by {@code Content-Length}, chunked coding
 * or until the server closes.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private RawHttp() {
    }

    /** One response; {@code headers} keeps every value of a repeated header. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            var values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + headers + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    /** Sends {@code request} and reads the answer; empty when the server closed the connection without one. */
    static Optional<Response> exchange(int port, byte[] request, boolean head) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException closedEarly) {
                // the server may answer and close before reading everything (a refused head, say); read what it said
            }
            InputStream in = socket.getInputStream();
            while (true) {
                Optional<String> rawHead = readHead(in);
                if (rawHead.isEmpty()) {
                    return Optional.empty();
                }
                String[] lines = rawHead.get().split("\r\n");
                String[] statusLine = lines[0].split(" ", 3);
                if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                    // not an HTTP answer: say what arrived, so the request that drew it can be looked at
                    throw new IOException("malformed response head: [" + rawHead.get() + "]");
                }
                int status = Integer.parseInt(statusLine[1]);
                var headers = new LinkedHashMap<String, List<String>>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
                if (status >= 100 && status < 200) {
                    continue;
                }
                var response = new Response(status, headers, new byte[0]);
                if (head || status == 204 || status == 304) {
                    return Optional.of(response);
                }
                return Optional.of(new Response(status, headers, body(in, response)));
            }
        } catch (SocketException reset) {
            return Optional.empty();
        }
    }

    private static byte[] body(InputStream in, Response response) throws IOException {
        Optional<String> length = response.header("Content-Length");
        if (length.isPresent()) {
            return in.readNBytes(Integer.parseInt(length.get()));
        }
        if (response.header("Transfer-Encoding").filter(te -> te.equalsIgnoreCase("chunked")).isPresent()) {
            var body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in);
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
        }
        return in.readAllBytes();
    }

    private static Optional<String> readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return Optional.empty();
                }
                throw new IOException("connection closed inside a response head: " + head);
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return Optional.of(head.toString(StandardCharsets.ISO_8859_1).strip());
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
