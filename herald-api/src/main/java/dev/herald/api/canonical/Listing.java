package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Json;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The canonical list conventions: {@code ?limit=} (default 50, 1–250) and {@code ?cursor=} in, and
 * {@code {"data":[…],"has_more":…,"next_cursor":…}} out.
 */
final class Listing {
    static final int DEFAULT_LIMIT = 50;

    private Listing() {
    }

    static PageRequest pageRequest(Context ctx) {
        String limitText = ctx.queryParam("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                throw badLimit();
            }
            if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
                throw badLimit();
            }
        }
        Optional<String> cursor = Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isEmpty());
        return new PageRequest(cursor, limit);
    }

    static <T> ObjectNode page(Page<T> page, Function<T, ? extends JsonNode> render) {
        var body = Json.object();
        var data = body.putArray("data");
        page.items().forEach(item -> data.add(render.apply(item)));
        body.put("has_more", page.hasMore());
        if (page.nextCursor().isPresent()) {
            body.put("next_cursor", page.nextCursor().get());
        } else {
            body.putNull("next_cursor");
        }
        return body;
    }

    /** A complete, unpaginated list in the same envelope. */
    static <T> ObjectNode all(List<T> items, Function<T, ? extends JsonNode> render) {
        return page(new Page<>(items, false, Optional.empty()), render);
    }

    private static HeraldException badLimit() {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, "limit",
                "limit must be an integer between 1 and " + PageRequest.MAX_LIMIT);
    }
}
