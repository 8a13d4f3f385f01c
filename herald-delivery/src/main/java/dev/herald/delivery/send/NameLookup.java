package dev.herald.delivery.send;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The name-to-address lookup under the outbound address check; injectable so tests can stub DNS answers. */
@FunctionalInterface
public interface NameLookup {
    List<InetAddress> lookup(String host) throws UnknownHostException;

    /** The operating system's resolver. */
    static NameLookup system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
