package dev.herald.store.testing;

/** Shows JDBC URLs in messages without their query, which may carry a password. */
final class PostgresUrls {
    private PostgresUrls() {
    }

    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
