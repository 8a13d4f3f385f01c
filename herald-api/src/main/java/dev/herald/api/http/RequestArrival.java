package dev.herald.api.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.util.OptionalLong;

/**
 * How long ago Jetty began reading a request: the whole time Herald spent on it, waiting for a thread and reading
 * the body included, which a timer started in a handler would miss.
 */
public final class RequestArrival {
    private RequestArrival() {
    }

    /** Nanoseconds from the request's arrival until now; empty when the request did not come through Jetty. */
    public static OptionalLong elapsedNanos(Context ctx) {
        var request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request == null ? OptionalLong.empty() : OptionalLong.of(System.nanoTime() - request.getBeginNanoTime());
    }
}
