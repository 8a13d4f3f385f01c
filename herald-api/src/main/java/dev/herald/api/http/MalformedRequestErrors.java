package dev.herald.api.http;

import dev.herald.core.id.RequestId;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's answer to requests it refuses before any route sees them (an undecodable or ambiguous path such as
 * {@code /v1/webhooks/%00}, a negative {@code Content-Length}, {@code OPTIONS *}): JSON with a code and an
 * {@code X-Request-Id}, whatever the method, instead of Jetty's HTML page (or, for methods other than GET, POST
 * and HEAD, no body at all). The surface is unknown at that point, so the body carries every dialect's fields at
 * once: {@code error.code} (canonical, admin), {@code success:false} and {@code request_id} (API Mall) and
 * {@code detail} (Midmarket).
 */
final class MalformedRequestErrors extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String requestId = RequestId.generate().value();
        int status = clientFault(code);
        response.setStatus(status);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status, requestId)), callback);
    }

    /** Errors the HTTP parser answers by itself (a malformed request line or header): the same body. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestId.generate().value();
        fields.put(RequestIds.HEADER, requestId);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, requestId));
    }

    /**
     * Jetty answers a request line it cannot parse as an HTTP version (an empty target, say) with 505, and a transfer
     * coding it does not know with 501: both are the client's malformed request, and Herald answers those 400.
     */
    static int clientFault(int status) {
        return status == 501 || status == 505 ? 400 : status;
    }

    static byte[] body(int status, String requestId) {
        var body = Json.object();
        body.put("success", false);
        var error = body.putObject("error");
        error.put("code", code(status));
        String message = status == 404 ? "no resource for this request target (404)" : "malformed request (" + status + ")";
        error.put("message", message);
        body.put("request_id", requestId);
        body.put("detail", message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413, 414, 431 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal" : "invalid_request";
        };
    }
}
