package dev.herald.portal;

import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.HttpStatuses;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import dev.herald.portal.view.Frame;
import io.javalin.http.Context;

import java.util.Map;

/**
 * The portal's error pages: the server's one error handler hands every failure on {@code /portal/…} here, and the
 * person sees a plain page with the status (another account's id is the same "not found" as a missing one).
 */
public final class PortalErrors implements ErrorRenderer {
    private final Views views;
    private final PortalSecurity security;

    PortalErrors(Views views, PortalSecurity security) {
        this.views = views;
        this.security = security;
    }

    @Override
    public void render(Context ctx, HeraldException error, RequestId requestId) {
        int status = HttpStatuses.of(error.code());
        String heading = switch (status) {
            case 401 -> "Your session has ended";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 400, 409, 422 -> "That did not work";
            case 503 -> "Temporarily unavailable";
            default -> "Something went wrong";
        };
        String text = switch (status) {
            case 404 -> "This page does not exist, or it is not one of yours.";
            case 500 -> "Herald could not finish this request. Its request id is " + requestId.value() + ".";
            default -> error.getMessage();
        };
        Frame frame = security.known(ctx)
                .map(session -> views.frame(heading, Frame.Section.NONE, session))
                .orElseGet(() -> views.anonymous(heading));
        security.headers(ctx);
        ctx.status(status);
        views.page(ctx, "message", Map.of("frame", frame, "heading", heading, "text", text));
    }
}
