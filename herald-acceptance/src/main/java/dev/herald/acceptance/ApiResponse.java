package dev.herald.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.herald.api.http.Json;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A response as a test sees it: status, headers, the raw body and the body parsed as JSON (missing if none). */
public record ApiResponse(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
        if (body.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("response body is not JSON: " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** {@code error.code} of a canonical error body. */
    public String errorCode() {
        return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
