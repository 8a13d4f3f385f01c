package dev.herald.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP receiver on 127.0.0.1 that misbehaves on purpose, one behaviour per request path
 * (reset mid-response, slow headers, endless chunked body, HTTP/1.0, 10 MB body, …). Counts hits per path.
 */
final class FaultServer implements AutoCloseable {
    /** What the server does with one request whose head it has read. */
    @FunctionalInterface
    interface Behaviour {
        void answer(Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private FaultServer(ServerSocket server) {
        this.server = server;
    }

    static FaultServer start() {
        try {
            var fault = new FaultServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
            fault.workers.submit(fault::acceptLoop);
            return fault;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FaultServer on(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                workers.submit(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String path = readHead(socket.getInputStream());
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            behaviours.getOrDefault(path, plain(404, "")).answer(socket, socket.getOutputStream());
        } catch (IOException e) {
            // the client gave up (timeout) or we reset on purpose
        }
    }

    /** Reads the request line, headers and a Content-Length body; returns the path. */
    private static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the head ended");
            }
            head.append((char) b);
        }
        String text = head.toString();
        long length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(15).trim())).findFirst().orElse(0);
        in.readNBytes((int) length);
        String requestLine = text.substring(0, text.indexOf("\r\n"));
        return requestLine.split(" ")[1];
    }

    static Behaviour plain(int status, String extraHeaders) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 " + status + " X\r\n" + extraHeaders + "Content-Length: 2\r\nConnection: close\r\n\r\nok")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    static Behaviour raw(String response) {
        return (socket, out) -> {
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    /** Half a response, then a TCP reset (SO_LINGER 0). */
    static Behaviour resetMidResponse() {
        return (socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoLinger(true, 0);
            socket.close();
        };
    }

    /** Says nothing for {@code millis}, then answers 200. */
    static Behaviour slowHeaders(long millis) {
        return (socket, out) -> {
            hold(millis);
            plain(200, "").answer(socket, out);
        };
    }

    /** Headers at once, then one body byte every 200 ms for {@code millis}. */
    static Behaviour slowBody(long millis) {
        return (socket, out) -> {
            int length = (int) (millis / 200);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < length; i++) {
                hold(200);
                out.write('x');
                out.flush();
            }
        };
    }

    /** A chunked 200 whose body never ends (until the client gives up). */
    static Behaviour endlessChunked(long millis) {
        return (socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long until = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < until) {
                out.write("5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                hold(100);
            }
        };
    }

    /** A 200 with a body of {@code bytes} bytes. */
    static Behaviour hugeBody(int bytes) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bytes + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
            out.flush();
        };
    }

    /** Stays silent for {@code millis}: the slowness is the fault under test, not a wait of the test's own. */
    private static void hold(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("the fault server is closing");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
    }
}
