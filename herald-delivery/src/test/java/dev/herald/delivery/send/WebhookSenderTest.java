package dev.herald.delivery.send;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.HeraldVersion;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.Cidr;
import dev.herald.delivery.DeliverySettings;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSenderTest {
    private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes();
    private static final DeliverySettings LOCAL = DeliverySettings.defaults()
            .withAllowHttp(true)
            .withRequestTimeout(Duration.ofMillis(700))
            .withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8"))));

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private SendResult send(DeliverySettings settings, String url) throws Exception {
        try (var sender = WebhookSender.create(settings.send(), Clock.systemUTC())) {
            return sender.send(URI.create(url), Map.of("webhook-id", "evt_1"), BODY).get(10, TimeUnit.SECONDS);
        }
    }

    private record StatusCase(int status, boolean success, ErrorClass errorClass, String message) {
    }

    static Stream<StatusCase> statuses() {
        return Stream.of(
                new StatusCase(200, true, null, null),
                new StatusCase(204, true, null, null),
                new StatusCase(500, false, ErrorClass.STATUS, "HTTP 500"),
                new StatusCase(404, false, ErrorClass.STATUS, "HTTP 404"),
                new StatusCase(301, false, ErrorClass.REDIRECT, "HTTP 301 (redirects are not followed)"),
                new StatusCase(302, false, ErrorClass.REDIRECT, "HTTP 302 (redirects are not followed)"));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void classifiesTheReceiversStatus(StatusCase c) throws Exception {
        receiver.on("/hook", WebhookReceiver.status(c.status(), Map.of("Location", receiver.url("/elsewhere"))));
        SendResult result = send(LOCAL, receiver.url("/hook"));
        assertThat(result.succeeded()).isEqualTo(c.success());
        assertThat(result.status()).hasValue(c.status());
        assertThat(result.errorClass().orElse(null)).isEqualTo(c.errorClass());
        assertThat(result.errorMessage().orElse(null)).isEqualTo(c.message());
        assertThat(receiver.requests("/elsewhere")).as("redirects are never followed").isEmpty();
    }

    @Test
    void closingWithOpenConnectionsLogsNoErrors() throws Exception {
        var clientLogger = (Logger) LoggerFactory.getLogger("dev.herald.delivery.send");
        var logged = new ListAppender<ILoggingEvent>();
        logged.start();
        clientLogger.addAppender(logged);
        try {
            for (int i = 0; i < 10; i++) {
                // A request first, so the pool holds an open connection when the sender closes.
                assertThat(send(LOCAL, receiver.url("/hook")).succeeded()).isTrue();
            }
        } finally {
            clientLogger.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(e -> e.getThrowableProxy() == null ? e.getFormattedMessage() : e.getThrowableProxy().getClassName())
                .isEmpty();
    }

    @Test
    void postsTheBodyAsJsonWithUserAgentAndGivenHeaders() throws Exception {
        send(LOCAL, receiver.url("/hook"));
        var request = receiver.requests("/hook").getFirst();
        assertThat(request.body()).isEqualTo(BODY);
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("user-agent")).isEqualTo("Herald/" + HeraldVersion.current());
        assertThat(request.header("webhook-id")).isEqualTo("evt_1");
    }

    @Test
    void writesTheRequestHeadInTheSameOrderEveryTimeWithTheHostOfTheUrl() throws Exception {
        try (var server = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             var sender = WebhookSender.create(LOCAL.send(), Clock.systemUTC())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/a/hook?x=1";
            var headers = new java.util.LinkedHashMap<String, String>();
            headers.put("X-Custom", "1");
            headers.put("webhook-id", "evt_1");
            var heads = new ConcurrentLinkedQueue<List<String>>();
            Thread.ofVirtual().start(() -> answerAll(server, heads));
            // twice on one URL: the second request is built from what the first one prepared
            for (int i = 0; i < 2; i++) {
                var result = sender.send(URI.create(url), headers, BODY).get(10, TimeUnit.SECONDS);
                assertThat(result.status()).as("%s", result).hasValue(200);
            }
            var expected = List.of("POST /a/hook?x=1 HTTP/1.1", "X-Custom: 1", "webhook-id: evt_1",
                    "User-Agent: Herald/" + HeraldVersion.current(), "Content-Type: application/json",
                    "Host: 127.0.0.1:" + server.getLocalPort(), "Content-Length: " + BODY.length,
                    "Connection: keep-alive");
            assertThat(heads).containsExactly(expected, expected);
        }
    }

    /** Answers every request 200 on every connection (kept alive or not), keeping each request's head lines. */
    private static void answerAll(java.net.ServerSocket server, ConcurrentLinkedQueue<List<String>> heads) {
        try {
            while (true) {
                var socket = server.accept();
                Thread.ofVirtual().start(() -> answerEach(socket, heads));
            }
        } catch (java.io.IOException e) {
            // the server socket closed at the end of the test
        }
    }

    private static void answerEach(java.net.Socket socket, ConcurrentLinkedQueue<List<String>> heads) {
        try (socket) {
            var in = new java.io.DataInputStream(socket.getInputStream());
            while (true) {
                var head = new java.util.ArrayList<String>();
                int length = 0;
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    head.add(line);
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                heads.add(head);
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
            }
        } catch (java.io.IOException e) {
            // the client closed the connection; a missing head fails the test
        }
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        var line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException();
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Test
    void classifiesAReceiverThatNeverAnswersAsTimeout() throws Exception {
        receiver.on("/slow", WebhookReceiver.never());
        SendResult result = send(LOCAL, receiver.url("/slow"));
        assertThat(result.errorClass()).hasValue(ErrorClass.TIMEOUT);
        assertThat(result.errorMessage()).hasValue("timeout after 700 ms");
    }

    @Test
    void stopsAnEndlessChunkedBodyAtTheDeadline() throws Exception {
        receiver.on("/endless", WebhookReceiver.endlessBody());
        SendResult result = send(LOCAL, receiver.url("/endless"));
        assertThat(result.errorClass()).hasValue(ErrorClass.TIMEOUT);
    }

    @Test
    void keepsOnlyTheFirst4KiBOfATenMegabyteBodyAndKeepsWorking() throws Exception {
        receiver.on("/huge", WebhookReceiver.hugeBody(10 * 1024 * 1024));
        try (var sender = WebhookSender.create(LOCAL.withRequestTimeout(Duration.ofSeconds(10)).send(),
                Clock.systemUTC())) {
            SendResult huge = sender.send(URI.create(receiver.url("/huge")), Map.of(), BODY).get(20, TimeUnit.SECONDS);
            assertThat(huge.succeeded()).isTrue();
            assertThat(huge.body()).hasSize(4096);
            SendResult next = sender.send(URI.create(receiver.url("/ok")), Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(next.succeeded()).isTrue();
        }
    }

    @Test
    void classifiesAClosedPortAsConnectionRefused() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        SendResult result = send(LOCAL, "http://127.0.0.1:" + closedPort + "/hook");
        assertThat(result.errorClass()).hasValue(ErrorClass.CONNECT);
        assertThat(result.errorMessage()).hasValue("connection refused");
    }

    @Test
    void refusesPlainHttpUnlessAllowed() throws Exception {
        SendResult result = send(LOCAL.withAllowHttp(false), receiver.url("/hook"));
        assertThat(result.errorClass()).hasValue(ErrorClass.BLOCKED);
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesAUrlWithUserInfoWithoutSendingIt() throws Exception {
        receiver.on("/hook", WebhookReceiver.status(200, Map.of()));
        SendResult result = send(LOCAL, "http://user:secret@127.0.0.1:" + receiver.port() + "/hook");
        assertThat(result.errorClass()).hasValue(ErrorClass.PROTOCOL);
        assertThat(result.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("userinfo"));
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void sendsToThePathOfAUrlWithAQuery() throws Exception {
        receiver.on("/a/hook", WebhookReceiver.status(204, Map.of()));
        SendResult result = send(LOCAL, "http://127.0.0.1:" + receiver.port() + "/a/hook?x=1&y=%2F");
        assertThat(result.status()).hasValue(204);
        assertThat(receiver.requests("/a/hook")).hasSize(1);
    }

    @Test
    void classifiesAnUnknownHostAsDns() throws Exception {
        NameLookup nothing = host -> {
            throw new UnknownHostException(host);
        };
        SendResult result = send(LOCAL.withNameLookup(nothing), "http://nowhere.test:" + receiver.port() + "/");
        assertThat(result.errorClass()).hasValue(ErrorClass.DNS);
    }

    @Test
    void classifiesAFailedTlsHandshakeAsTls() throws Exception {
        // A server that answers a TLS ClientHello with plain text: no valid handshake can follow.
        try (var plain = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (var socket = plain.accept()) {
                    socket.getInputStream().read(new byte[512]);
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\nnot tls".getBytes());
                } catch (java.io.IOException e) {
                    // the test has its answer either way
                }
            });
            SendResult result = send(LOCAL.withRequestTimeout(Duration.ofSeconds(3)), "https://127.0.0.1:" + plain.getLocalPort() + "/hook");
            assertThat(result.errorClass()).hasValue(ErrorClass.TLS);
        }
    }

    static Stream<String> blockedLiteralHosts() {
        return Stream.of("127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]", "2130706433");
    }

    @ParameterizedTest
    @MethodSource("blockedLiteralHosts")
    void refusesLiteralInternalAddressesWithoutAnAllowlist(String host) throws Exception {
        var strict = LOCAL.withAddressPolicy(AddressPolicy.create(List.of()));
        SendResult result = send(strict, "http://" + host + ":" + receiver.port() + "/hook");
        assertThat(result.errorClass()).hasValue(ErrorClass.BLOCKED);
        assertThat(result.errorMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("blocked: address "));
        assertThat(receiver.requests()).isEmpty();
    }

    static Stream<String> blockedAnswers() {
        return Stream.of("127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1");
    }

    @ParameterizedTest
    @MethodSource("blockedAnswers")
    void refusesHostnamesResolvingToInternalAddresses(String answer) throws Exception {
        NameLookup stub = host -> List.of(InetAddress.getByName(answer));
        var strict = LOCAL.withAddressPolicy(AddressPolicy.create(List.of())).withNameLookup(stub);
        SendResult result = send(strict, "http://hooks.example.test:" + receiver.port() + "/hook");
        assertThat(result.errorClass()).hasValue(ErrorClass.BLOCKED);
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void explainsWhichRangeBlockedTheAddress() throws Exception {
        NameLookup stub = host -> List.of(InetAddress.getByName("10.0.0.1"));
        var strict = LOCAL.withAddressPolicy(AddressPolicy.create(List.of())).withNameLookup(stub);
        SendResult result = send(strict, "http://hooks.example.test/hook");
        assertThat(result.errorMessage()).hasValue("blocked: address 10.0.0.1 is in blocked range 10.0.0.0/8");
    }

    @Test
    void connectsToExactlyTheCheckedAddressWhenTheDnsAnswerChanges() throws Exception {
        // Allowed: 127.0.0.1 (the real receiver). Refused: 127.0.0.2, where an "internal" service listens.
        try (var internal = WebhookReceiver.start("127.0.0.2", receiver.port())) {
            var calls = new AtomicInteger();
            NameLookup rebinding = host -> List.of(InetAddress.getByName(
                    calls.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
            var settings = LOCAL.withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("127.0.0.1/32"))))
                    .withNameLookup(rebinding);
            try (var sender = WebhookSender.create(settings.send(), Clock.systemUTC())) {
                String url = "http://rebind.example.test:" + receiver.port() + "/hook";
                SendResult first = sender.send(URI.create(url), Map.of(), BODY).get(10, TimeUnit.SECONDS);
                SendResult second = sender.send(URI.create(url), Map.of(), BODY).get(10, TimeUnit.SECONDS);
                assertThat(first.succeeded()).isTrue();
                assertThat(second.succeeded() || second.errorClass().orElseThrow() == ErrorClass.BLOCKED).isTrue();
            }
            assertThat(internal.requests()).as("nothing reaches the refused address").isEmpty();
            assertThat(receiver.requests("/hook")).isNotEmpty();
        }
    }

    @Test
    void refusesWhenTheFirstAnswerIsInternalEvenIfALaterOneIsNot() throws Exception {
        var calls = new AtomicInteger();
        NameLookup rebinding = host -> List.of(InetAddress.getByName(
                calls.getAndIncrement() == 0 ? "10.0.0.1" : "127.0.0.1"));
        var settings = LOCAL.withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("127.0.0.1/32"))))
                .withNameLookup(rebinding);
        SendResult result = send(settings, "http://rebind.example.test:" + receiver.port() + "/hook");
        assertThat(result.errorClass()).hasValue(ErrorClass.BLOCKED);
        assertThat(receiver.requests()).isEmpty();
    }
}
