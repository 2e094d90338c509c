package io.cairn.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request it refuses before Javalin sees it: a malformed URI, headers too large) as
 * problem details instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final Replies replies;

    ProblemErrorHandler(Replies replies) {
        this.replies = replies;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Problem problem = ProblemMapper.forStatus(code, code >= 500 ? null : message);
        // no instance: for a request that could not be parsed, Jetty makes up a URI
        byte[] body = replies.bytes(problem.body(null));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.PROBLEM_JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
