package dev.herald.portal;

import dev.herald.portal.view.Frame;
import dev.herald.service.portal.PortalSession;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/** Renders the precompiled jte templates (compiled into classes at build time) into responses. */
final class Views {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Views.class.getClassLoader(), "dev.herald.portal.templates");
    private final PortalOptions options;

    Views(PortalOptions options) {
        this.options = options;
    }

    Frame frame(String title, Frame.Section section, PortalSession session) {
        return new Frame(title, options, section, Optional.of(session.csrfToken()), Optional.empty());
    }

    /** The frame of a page shown without a session (an expired link, an error before sign-in). */
    Frame anonymous(String title) {
        return new Frame(title, options, Frame.Section.NONE, Optional.empty(), Optional.empty());
    }

    String render(String template, Map<String, Object> params) {
        var out = new StringOutput();
        engine.render(template + ".jte", params, out);
        return out.toString();
    }

    void page(Context ctx, String template, Map<String, Object> params) {
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(render(template, params));
    }
}
