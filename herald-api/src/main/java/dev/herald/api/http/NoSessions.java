package dev.herald.api.http;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.session.AbstractSessionManager.RequestedSession;
import org.eclipse.jetty.util.Callback;

/**
 * The servlet context's session handler, in place of Javalin's default one, which nothing here uses (the portal
 * signs in with a cookie of its own): that one looked for a session id in every request's cookies and wrapped its
 * stream to commit a session at its end, 2 % of what a publish allocated. A request here has no session: asked for
 * one, the servlet API answers none.
 */
final class NoSessions extends SessionHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        ServletContextRequest servletRequest = Request.as(request, ServletContextRequest.class);
        if (servletRequest != null) {
            servletRequest.setRequestedSession(RequestedSession.NO_REQUESTED_SESSION);
        }
        return next.handle(request, response, callback);
    }
}
