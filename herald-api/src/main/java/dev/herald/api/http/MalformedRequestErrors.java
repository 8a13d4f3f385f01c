package dev.herald.api.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's answer to requests it refuses before any route sees them (an undecodable or ambiguous path such as
 * {@code /v1/webhooks/%00}): JSON with a code instead of Jetty's HTML page. The surface is unknown at that
 * point, so the body carries every dialect's fields at once: {@code error.code} (canonical, admin),
 * {@code success:false} (API Mall) and {@code detail} (Midmarket).
 */
final class MalformedRequestErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        var body = Json.object();
        body.put("success", false);
        var error = body.putObject("error");
        error.put("code", code == 431 || code == 414 ? "payload_too_large" : code >= 500 ? "internal" : "invalid_request");
        error.put("message", "malformed request (" + code + ")");
        body.put("detail", "malformed request (" + code + ")");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
