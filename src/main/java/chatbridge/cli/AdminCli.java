package chatbridge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import chatbridge.cli.CommandLine.Command;
import chatbridge.security.Secrets;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code java -jar chat-bridge.jar admin <command>}: the Admin API's client, for operators at a shell (commands in
 * {@link CommandLine#USAGE}). Prints tables and one-line summaries, or with --json the API's answer as it came; the
 * exit code tells scripts how it went.
 */
public final class AdminCli {
    public static final int DONE = 0;
    public static final int BRIDGE_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    public static final int NOT_AUTHORIZED = 3;
    public static final int UNREACHABLE = 4;

    private static final String DEFAULT_URL = "http://127.0.0.1:9876";
    /**
     * Most shells do not export COLUMNS, so this is the usual width: a wide terminal's, where a dead letter's detail
     * still gets some 40 characters.
     */
    private static final int DEFAULT_WIDTH = 160;

    private AdminCli() {
    }

    /**
     * @param args        what follows {@code admin} on the command line
     * @param environment looks up environment variables (System::getenv in production)
     * @return the exit code: {@link #DONE}, {@link #BRIDGE_ERROR}, {@link #USAGE_ERROR}, {@link #NOT_AUTHORIZED} or
     *         {@link #UNREACHABLE}
     */
    public static int run(String[] args, UnaryOperator<String> environment, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(CommandLine.USAGE);
            return USAGE_ERROR;
        }
        if (CommandLine.asksForHelp(args)) {
            out.print(CommandLine.USAGE);
            return DONE;
        }
        CommandLine line;
        String base;
        String token;
        try {
            line = CommandLine.parse(args);
            base = baseUrl(line.value("url"), environment);
            token = token(line.value("token"), environment);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: java -jar chat-bridge.jar admin <command> [options]   (admin --help lists them)");
            return USAGE_ERROR;
        }

        AdminApi.Answer answer;
        try {
            answer = send(new AdminApi(base, token), line);
        } catch (IOException e) {
            err.println("error: cannot reach the bridge at " + base + ": " + why(e));
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted while waiting for the bridge at " + base);
            return UNREACHABLE;
        }

        if (!answer.successful()) {
            Problem problem = Problem.of(answer);
            err.println("error: " + problem.describe());
            return problem.notAuthorized() ? NOT_AUTHORIZED : BRIDGE_ERROR;
        }
        if (line.has("json")) {
            out.print(answer.body());
            if (!answer.body().endsWith("\n")) {
                out.println();
            }
            return DONE;
        }
        try {
            show(line, answer.body(), new Views(out, width(environment)));
            return DONE;
        } catch (UnexpectedAnswerException e) {
            err.println("error: " + e.getMessage() + " (HTTP " + answer.status() + " from " + base + ")");
            return BRIDGE_ERROR;
        }
    }

    private static AdminApi.Answer send(AdminApi api, CommandLine line) throws IOException, InterruptedException {
        return switch (line.command()) {
            case PARTNERS -> api.get("/admin/partners", Map.of());
            case PAUSE -> api.post("/admin/partners/" + AdminApi.encode(line.partnerId()) + "/pause", null);
            case RESUME -> api.post("/admin/partners/" + AdminApi.encode(line.partnerId()) + "/resume", null);
            case LIST_DEAD_LETTERS -> api.get("/admin/dead-letters", query(line));
            case REPLAY_DEAD_LETTERS -> api.post("/admin/dead-letters/replay", body(line));
            case PURGE_DEAD_LETTERS -> api.post("/admin/dead-letters/purge", body(line));
            case RELOAD -> api.post("/admin/reload", null);
        };
    }

    private static void show(CommandLine line, String body, Views views) {
        var answer = Views.parse(body);
        switch (line.command()) {
            case PARTNERS -> views.partners(answer);
            case PAUSE, RESUME -> views.partner(answer);
            case LIST_DEAD_LETTERS -> views.deadLetters(answer, line.has("body"));
            case REPLAY_DEAD_LETTERS -> views.replayed(answer);
            case PURGE_DEAD_LETTERS -> views.purged(answer);
            case RELOAD -> views.reloaded(answer);
        }
    }

    /** Filters go to the API as typed: it is the one that knows ages like 2h and the limit's range. */
    private static Map<String, String> query(CommandLine line) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String filter : CommandLine.FILTERS) {
            if (line.value(filter) != null) {
                query.put(filter, line.value(filter));
            }
        }
        if (line.has("body")) {
            query.put("include", "body");
        }
        return query;
    }

    private static String body(CommandLine line) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (String filter : CommandLine.FILTERS) {
            String value = line.value(filter);
            if (value != null && filter.equals("limit")) {
                body.put(filter, Integer.parseInt(value));
            } else if (value != null) {
                body.put(filter, value);
            }
        }
        if (!line.ids().isEmpty()) {
            ArrayNode ids = body.putArray("ids");
            line.ids().forEach(ids::add);
        }
        if (line.has("dry-run")) {
            body.put("dryRun", true);
        }
        if (line.has("ignore-freshness")) {
            body.put("ignoreFreshness", true);
        }
        if (line.command() == Command.PURGE_DEAD_LETTERS) {
            body.put("confirm", true);
        }
        return body.toString();
    }

    /** @return the management server's URL without a trailing slash; safe to print, it holds no credentials */
    private static String baseUrl(String option, UnaryOperator<String> environment) throws UsageException {
        String where;
        String url;
        if (option != null) {
            where = "--url";
            url = option;
        } else if (isSet(environment.apply("ADMIN_URL"))) {
            where = "ADMIN_URL";
            url = environment.apply("ADMIN_URL");
        } else if (isSet(environment.apply("MANAGEMENT_PORT"))) {
            where = "MANAGEMENT_PORT";
            String port = environment.apply("MANAGEMENT_PORT").strip();
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new UsageException("MANAGEMENT_PORT is not a port number: " + port);
            }
            url = "http://127.0.0.1:" + port;
        } else {
            return DEFAULT_URL;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UsageException(where + " is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new UsageException(where + " must be an http:// or https:// URL, e.g. " + DEFAULT_URL);
        }
        // Refused rather than sent: the URL is printed in messages, and the token has its own option.
        if (uri.getRawUserInfo() != null) {
            throw new UsageException(where + " must not hold a user or password; the token goes in --token");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException(where + " must be the management server's address only, e.g. " + DEFAULT_URL);
        }
        return uri.toString().replaceAll("/+$", "");
    }

    /** Error messages name where the token came from, never the token. */
    private static String token(String option, UnaryOperator<String> environment) throws UsageException {
        String where = option != null ? "--token" : "ADMIN_TOKEN";
        String configured = option != null ? option : environment.apply("ADMIN_TOKEN");
        if (!isSet(configured)) {
            throw new UsageException("no admin token: pass --token or set ADMIN_TOKEN (a value, env:NAME or file:/path)");
        }
        String token;
        try {
            token = new Secrets(environment).resolve(configured, where);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (token.isEmpty()) {
            throw new UsageException(where + " gives an empty token");
        }
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new UsageException(where + " gives a token with characters an Authorization header cannot carry");
        }
        return token;
    }

    private static int width(UnaryOperator<String> environment) {
        String columns = environment.apply("COLUMNS");
        if (columns != null && columns.strip().matches("[0-9]{1,4}") && Integer.parseInt(columns.strip()) > 0) {
            return Integer.parseInt(columns.strip());
        }
        return DEFAULT_WIDTH;
    }

    private static String why(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + AdminApi.CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + AdminApi.REQUEST_TIMEOUT.toSeconds()
                    + " s (a replay or purge may still be under way: dlq list shows what is left)";
        }
        // The JDK's client gives a refused connection and an unknown host no message, only exception types.
        boolean connecting = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
            connecting |= cause instanceof ConnectException;
        }
        return connecting ? "connection refused" : e.getClass().getSimpleName();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
