package dev.herald.delivery.send;

import dev.herald.core.signing.DeliverySignatures;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An attempt's request headers, names and values in the order they were put, held in one array. An attempt puts a
 * dozen headers at most (the endpoint's own, a sequence, a traceparent, the signatures) and looks up almost none: a
 * linked hash map's table and a node per header were 2 % of what each delivery allocated. A name put again keeps its
 * place and takes the new value, as in a {@link java.util.LinkedHashMap}; names are compared exactly. Neither names
 * nor values may be null. A value may be put as its ASCII bytes ({@link #put(String, byte[])}, as the signatures are):
 * a request writes those as they are, and a string is made of them only when a map method reads one. Not
 * thread-safe: an attempt's headers belong to its thread.
 */
public final class HeaderMap extends AbstractMap<String, String> implements DeliverySignatures.HeaderSink {
    /** name, value, name, value…: each name a String, each value a String or the byte[] of an ASCII value */
    private Object[] slots;
    private int size;

    /** A map with room for {@code expected} headers before it grows. */
    public HeaderMap(int expected) {
        slots = new Object[2 * Math.max(1, expected)];
    }

    @Override
    public String put(String name, String value) {
        return text(putValue(name, Objects.requireNonNull(value, "value")));
    }

    /**
     * Puts a value given as its ASCII bytes, which the caller no longer changes; it is sent as it is. A header's
     * value is its bytes as Latin-1 characters wherever the map is read as strings.
     */
    @Override
    public void put(String name, byte[] asciiValue) {
        putValue(name, Objects.requireNonNull(asciiValue, "value"));
    }

    private Object putValue(String name, Object value) {
        Objects.requireNonNull(name, "name");
        int at = indexOf(name);
        if (at >= 0) {
            Object old = slots[at + 1];
            slots[at + 1] = value;
            return old;
        }
        if (2 * size == slots.length) {
            slots = Arrays.copyOf(slots, 2 * slots.length);
        }
        slots[2 * size] = name;
        slots[2 * size + 1] = value;
        size++;
        return null;
    }

    @Override
    public String get(Object name) {
        int at = indexOf(name);
        return at < 0 ? null : text(slots[at + 1]);
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public String remove(Object name) {
        int at = indexOf(name);
        if (at < 0) {
            return null;
        }
        Object old = slots[at + 1];
        removeAt(at / 2);
        return text(old);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        Arrays.fill(slots, 0, 2 * size, null);
        size = 0;
    }

    /** The name of the header at {@code index} in put order. */
    public String name(int index) {
        return (String) slots[2 * Objects.checkIndex(index, size)];
    }

    /** The value of the header at {@code index} in put order. */
    public String value(int index) {
        return text(slots[2 * Objects.checkIndex(index, size) + 1]);
    }

    /** The bytes of the header at {@code index} if its value was put as bytes, else null (read {@link #value}). */
    public byte[] asciiValue(int index) {
        return slots[2 * Objects.checkIndex(index, size) + 1] instanceof byte[] bytes ? bytes : null;
    }

    /** In put order, with no entry made per header. */
    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) {
            action.accept((String) slots[2 * i], text(slots[2 * i + 1]));
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;
                    private int expectedSize = size;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (size != expectedSize) {
                            throw new ConcurrentModificationException();
                        }
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new SimpleImmutableEntry<>((String) slots[2 * last], text(slots[2 * last + 1]));
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException("next() first");
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                        expectedSize = size;
                    }
                };
            }
        };
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) value;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (slots[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int index) {
        System.arraycopy(slots, 2 * index + 2, slots, 2 * index, 2 * (size - index - 1));
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
    }
}
