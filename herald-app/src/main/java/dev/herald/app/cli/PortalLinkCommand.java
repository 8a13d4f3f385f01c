package dev.herald.app.cli;

import dev.herald.app.Herald;
import dev.herald.app.config.HeraldConfig;
import dev.herald.service.account.AccountService;
import dev.herald.service.portal.PortalLinks;
import dev.herald.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code herald portal-link --account ID}: mints a single-use link to the account's customer portal. */
@Command(name = "portal-link", description = "Print a single-use link to an account's customer portal "
        + "(expires after portal.link-ttl). Only the URL goes to stdout.")
public final class PortalLinkCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--account", required = true, description = "Account id, or the platform's uid for it")
    String account;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HeraldConfig loaded = config.load();
        try (Store store = Commands.open(loaded, spec)) {
            var found = new AccountService(store, Clock.systemUTC()).account(account);
            var links = new PortalLinks(store, Herald.portalSettings(loaded), Clock.systemUTC());
            var out = spec.commandLine().getOut();
            out.println(links.mint(found.id(), listenOrigin(loaded)).url());
            out.flush();
        }
        return 0;
    }

    /** Where this configuration's server listens, as a browser on the same machine reaches it. */
    static URI listenOrigin(HeraldConfig config) {
        String host = config.listenHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + config.listenPort());
    }
}
