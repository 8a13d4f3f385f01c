package dev.herald.reliability;

/** An account of the Herald under test with one API key. */
record Tenant(long account, long keyId, String key) {
}
