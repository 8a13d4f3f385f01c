package dev.herald.app.config;

/** Bad configuration: the message names the key and says what was expected. Herald refuses to start. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
