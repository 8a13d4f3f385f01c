package dev.herald.delivery.send;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.Cidr;
import dev.herald.delivery.DeliverySettings;
import dev.herald.testing.SelfSignedTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ServerSocketFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sender against receivers that answer byte for byte as a test says: how it reads every shape of HTTP/1.x
 * answer, when it keeps a connection for the next request, and TLS with a certificate it trusts or not.
 */
class WebhookSenderWireTest {
    private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
    private static final DeliverySettings LOCAL = DeliverySettings.defaults()
            .withAllowHttp(true)
            .withRequestTimeout(Duration.ofMillis(1_500))
            .withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8"))));

    /**
     * One answer's bytes as the receiver writes them (closing the connection after them when {@code closes}), and
     * what the sender must make of it.
     */
    private record AnswerCase(String name, String answer, boolean closes, int status, String body,
                              Optional<ErrorClass> errorClass, boolean reusable) {
        AnswerCase(String name, String answer, int status, String body, Optional<ErrorClass> errorClass,
                   boolean reusable) {
            this(name, answer, false, status, body, errorClass, reusable);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AnswerCase> answers() {
        var ok = Optional.<ErrorClass>empty();
        return Stream.of(
                new AnswerCase("content-length body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, "hello",
                        ok, true),
                new AnswerCase("no body", "HTTP/1.1 204 No Content\r\n\r\n", 204, "", ok, true),
                new AnswerCase("header names in any case, spaces around values",
                        "HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh:   2  \r\nX-Other: a:b\r\n\r\nok", 200, "ok", ok, true),
                new AnswerCase("chunked with extensions and trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n", 200, "hello world", ok, true),
                new AnswerCase("chunked and a Content-Length: chunked wins, the connection is not kept",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                        200, "ok", ok, false),
                new AnswerCase("interim 100 Continue first",
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nhi", 201, "hi", ok,
                        true),
                new AnswerCase("bare line feeds", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 200, "ok", ok, true),
                new AnswerCase("Connection: close", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        200, "", ok, false),
                new AnswerCase("HTTP/1.0, body to the end of the stream", "HTTP/1.0 200 OK\r\n\r\nold school", true, 200,
                        "old school", ok, false),
                new AnswerCase("HTTP/1.0 with keep-alive",
                        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 200, "ok", ok, true),
                new AnswerCase("bytes after the answer", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", 200, "ok",
                        ok, false),
                new AnswerCase("500 with a body", "HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nfail", 500, "fail",
                        Optional.of(ErrorClass.STATUS), true),
                new AnswerCase("not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", 0, "", Optional.of(ErrorClass.PROTOCOL), false),
                new AnswerCase("status not a number", "HTTP/1.1 2x0 OK\r\n\r\n", 0, "", Optional.of(ErrorClass.PROTOCOL),
                        false),
                new AnswerCase("two Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
                        0, "", Optional.of(ErrorClass.PROTOCOL), false),
                new AnswerCase("chunk size not hexadecimal", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        0, "", Optional.of(ErrorClass.PROTOCOL), false),
                new AnswerCase("body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true, 0, "",
                        Optional.of(ErrorClass.CONNECT), false),
                new AnswerCase("closed without answering", "", true, 0, "", Optional.of(ErrorClass.CONNECT), false));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void readsEachShapeOfAnswerAndKeepsTheConnectionOnlyWhenItIsReusable(AnswerCase c) throws Exception {
        try (var server = ScriptedServer.start(n -> c.answer(), c.closes());
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult first = sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(first.errorClass()).as("%s", first).isEqualTo(c.errorClass());
            if (c.status() > 0) {
                assertThat(first.status()).hasValue(c.status());
                assertThat(first.body()).isEqualTo(c.body());
            } else {
                assertThat(first.status()).isEmpty();
            }
            sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(server.requests()).isEqualTo(2);
            assertThat(server.connections()).as("connections for two requests").isEqualTo(c.reusable() ? 1 : 2);
        }
    }

    @Test
    void carriesManyRequestsOnOneKeptAliveConnection() throws Exception {
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                assertThat(sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS).succeeded())
                        .isTrue();
            }
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.bodies()).hasSize(50).allSatisfy(b -> assertThat(b).isEqualTo(BODY));
        }
    }

    @Test
    void sendsOnceMoreOnANewConnectionWhenTheReceiverClosedTheKeptOneWhileItWaited() throws Exception {
        // Answers as if keeping the connection alive, then closes it right after: the next request finds it closed.
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true);
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                SendResult result = sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
                assertThat(result.succeeded()).as("request %d: %s", i, result).isTrue();
                // let the receiver's close arrive before the next request
                Thread.sleep(50);
            }
            assertThat(server.requests()).as("each request reached the receiver once").isEqualTo(3);
        }
    }

    @Test
    void doesNotSendAgainWhenTheReceiverClosesAFreshConnectionWithoutAnswering() throws Exception {
        try (var server = ScriptedServer.start(n -> "", true);
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult result = sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.CONNECT);
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void readsRetryAfterOnlyFromA429OrA503() throws Exception {
        try (var server = ScriptedServer.start(n -> switch (n) {
            case 1 -> "HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n";
            case 2 -> "HTTP/1.1 503 Unavailable\r\nretry-after:  12 \r\nContent-Length: 0\r\n\r\n";
            default -> "HTTP/1.1 500 Oops\r\nRetry-After: 9\r\nContent-Length: 0\r\n\r\n";
        }); var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            List<Optional<Duration>> asked = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                asked.add(sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS).retryAfter());
            }
            assertThat(asked).containsExactly(Optional.of(Duration.ofSeconds(7)), Optional.of(Duration.ofSeconds(12)),
                    Optional.empty());
        }
    }

    @Test
    void keepsOnlyTheFirst4KiBOfAChunkedBody() throws Exception {
        String chunk = "x".repeat(1000);
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + ("3e8\r\n" + chunk + "\r\n").repeat(10) + "0\r\n\r\n";
        try (var server = ScriptedServer.start(n -> answer);
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult result = sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(result.body()).hasSize(4096);
            sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(server.connections()).as("the whole body was read, so the connection was kept").isEqualTo(1);
        }
    }

    @Test
    void timesOutAReceiverThatNeverReadsALargeRequest() throws Exception {
        try (var silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             var sender = WebhookSender.create(LOCAL.withRequestTimeout(Duration.ofMillis(500)).send(),
                     Clock.systemUTC())) {
            var accepted = new ConcurrentLinkedQueue<Socket>();
            Thread.ofVirtual().start(() -> {
                try {
                    accepted.add(silent.accept()); // and never read from it
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            byte[] large = new byte[32 << 20];
            SendResult result = sender.send(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/hook"), Map.of(),
                    large).get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.TIMEOUT);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 9, 10, 999, 65_536, 65_537, 200_000})
    void sendsABodyOfAnySizeWithItsLength(int size) throws Exception {
        byte[] body = new byte[size];
        new java.util.Random(size).nextBytes(body);
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            for (int i = 0; i < 2; i++) {
                assertThat(sender.send(server.url("/hook"), Map.of(), body).get(10, TimeUnit.SECONDS).succeeded()).isTrue();
            }
            assertThat(server.bodies()).hasSize(2).allSatisfy(b -> assertThat(b).isEqualTo(body));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\u0000b", "a\u010Ab", "a\u010Db"})
    void refusesEveryHeaderValueThatWouldEndItsLine(String value) throws Exception {
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult result = sender.send(server.url("/hook"), Map.of("X-Value", value), BODY).get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.PROTOCOL);
            assertThat(server.requests()).isZero();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"X Bad", "X:Bad", "", "X\u00e9"})
    void refusesAHeaderNameThatIsNotAToken(String name) throws Exception {
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult result = sender.send(server.url("/hook"), Map.of(name, "1"), BODY).get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.PROTOCOL);
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void deliversToAnIpv6LiteralWithItsBracketedHost() throws Exception {
        var ipv6 = LOCAL.withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("::1/128"))));
        try (var server = ScriptedServer.startOn(InetAddress.getByName("::1"),
                n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(ipv6.send(), Clock.systemUTC())) {
            SendResult result = sender.send(URI.create("http://[::1]:" + server.port() + "/hook"), Map.of(), BODY)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.succeeded()).as("%s", result).isTrue();
            assertThat(server.heads().getFirst()).contains("Host: [::1]:" + server.port());
        }
    }

    @Test
    void completesTheFutureFromAPlatformThreadToo() throws Exception {
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            var sent = new CompletableFuture<CompletableFuture<SendResult>>();
            Thread.ofPlatform().start(() -> sent.complete(sender.send(server.url("/hook"), Map.of(), BODY)));
            assertThat(sent.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS).succeeded()).isTrue();
        }
    }

    @Test
    void deliversOverTlsToAReceiverWhoseCertificateIsTrustedAndNamesTheHost(@TempDir Path dir) throws Exception {
        var tls = SelfSignedTls.create(dir, "127.0.0.1");
        try (var server = ScriptedServer.start(tls.server().getServerSocketFactory(), n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC(), () -> tls.client().getSocketFactory())) {
            for (int i = 0; i < 3; i++) {
                SendResult result = sender.send(URI.create("https://127.0.0.1:" + server.port() + "/hook"), Map.of(),
                        BODY).get(10, TimeUnit.SECONDS);
                assertThat(result.succeeded()).as("%s", result).isTrue();
                assertThat(result.body()).isEqualTo("ok");
            }
            assertThat(server.connections()).as("one TLS connection kept alive").isEqualTo(1);
            assertThat(server.bodies()).allSatisfy(b -> assertThat(b).isEqualTo(BODY));
        }
    }

    @Test
    void refusesATrustedCertificateIssuedForAnotherHost(@TempDir Path dir) throws Exception {
        var tls = SelfSignedTls.create(dir, "127.0.0.2");
        try (var server = ScriptedServer.start(tls.server().getServerSocketFactory(), n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC(), () -> tls.client().getSocketFactory())) {
            SendResult result = sender.send(URI.create("https://127.0.0.1:" + server.port() + "/hook"), Map.of(), BODY)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.TLS);
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void refusesACertificateItDoesNotTrust(@TempDir Path dir) throws Exception {
        var tls = SelfSignedTls.create(dir, "127.0.0.1");
        try (var server = ScriptedServer.start(tls.server().getServerSocketFactory(), n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            SendResult result = sender.send(URI.create("https://127.0.0.1:" + server.port() + "/hook"), Map.of(), BODY)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.errorClass()).hasValue(ErrorClass.TLS);
            assertThat(server.requests()).isZero();
        }
    }

    /**
     * A receiver on 127.0.0.1 that reads each request (head and Content-Length body) and writes the answer the test
     * gives for the n-th request (from 1) as is; it counts connections and requests.
     */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket;
        private final IntFunction<String> answers;
        private final boolean closeAfterAnswer;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<List<String>> heads = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();

        private ScriptedServer(ServerSocket socket, IntFunction<String> answers, boolean closeAfterAnswer) {
            this.socket = socket;
            this.answers = answers;
            this.closeAfterAnswer = closeAfterAnswer;
        }

        static ScriptedServer start(IntFunction<String> answers) throws IOException {
            return start(ServerSocketFactory.getDefault(), answers, false);
        }

        static ScriptedServer start(IntFunction<String> answers, boolean closeAfterAnswer) throws IOException {
            return start(ServerSocketFactory.getDefault(), answers, closeAfterAnswer);
        }

        static ScriptedServer start(ServerSocketFactory sockets, IntFunction<String> answers) throws IOException {
            return start(sockets, answers, false);
        }

        static ScriptedServer startOn(InetAddress address, IntFunction<String> answers) throws IOException {
            var server = new ScriptedServer(ServerSocketFactory.getDefault().createServerSocket(0, 50, address), answers,
                    false);
            Thread.ofVirtual().start(server::accept);
            return server;
        }

        private static ScriptedServer start(ServerSocketFactory sockets, IntFunction<String> answers,
                                            boolean closeAfterAnswer) throws IOException {
            var server = new ScriptedServer(sockets.createServerSocket(0, 50, InetAddress.getByName("127.0.0.1")),
                    answers, closeAfterAnswer);
            Thread.ofVirtual().start(server::accept);
            return server;
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int requests() {
            return requests.get();
        }

        List<byte[]> bodies() {
            return List.copyOf(bodies);
        }

        /** Each request's head lines, request line first. */
        List<List<String>> heads() {
            return List.copyOf(heads);
        }

        private void accept() {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    open.add(connection);
                    Thread.ofVirtual().start(() -> serve(connection));
                }
            } catch (IOException e) {
                // the server socket closed at the end of the test
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                while (true) {
                    int length = readHead(in, heads);
                    if (length < 0) {
                        return;
                    }
                    bodies.add(in.readNBytes(length));
                    int n = requests.incrementAndGet();
                    connection.getOutputStream().write(answers.apply(n).getBytes(StandardCharsets.ISO_8859_1));
                    connection.getOutputStream().flush();
                    if (closeAfterAnswer) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client closed the connection, or the test ended
            }
        }

        /** Reads a request head into {@code heads}; its Content-Length, or -1 at the end of the stream. */
        private static int readHead(InputStream in, ConcurrentLinkedQueue<List<String>> heads) throws IOException {
            var head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            List<String> lines = List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n"));
            heads.add(lines);
            for (String line : lines) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void parsesRetryAfterAsAnHttpDateToo() throws Exception {
        Instant later = Instant.now().plusSeconds(120);
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(later.atZone(java.time.ZoneOffset.UTC));
        try (var server = ScriptedServer.start(n -> "HTTP/1.1 503 Busy\r\nRetry-After: " + date
                + "\r\nContent-Length: 0\r\n\r\n"); var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            Optional<Duration> asked = sender.send(server.url("/hook"), Map.of(), BODY).get(10, TimeUnit.SECONDS)
                    .retryAfter();
            assertThat(asked).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(100),
                    Duration.ofSeconds(121)));
        }
    }
}
