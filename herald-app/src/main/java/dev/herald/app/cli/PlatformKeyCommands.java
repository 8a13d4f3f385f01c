package dev.herald.app.cli;

import dev.herald.core.platform.PlatformKeyId;
import dev.herald.core.platform.PlatformKeyToken;
import dev.herald.service.platform.PlatformKeyService;
import dev.herald.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/** {@code herald platform-key create|list|revoke}: the platform's own credentials, against the configured store. */
@Command(name = "platform-key", description = "Manage platform keys (admin API and publishing for any account).",
        subcommands = {PlatformKeyCommands.Create.class, PlatformKeyCommands.List.class,
                PlatformKeyCommands.Revoke.class})
final class PlatformKeyCommands {
    private PlatformKeyCommands() {
    }

    @Command(name = "create", description = "Issue a platform key. The key is shown once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--name", required = true, description = "Key name")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withService(config, spec, (keys, out) -> {
                var issued = keys.issue(name);
                out.printf("Created platform key %d (\"%s\"). It is shown only once; store it now:%n",
                        issued.key().id().value(), issued.key().name());
                out.println(issued.token().value());
            });
        }
    }

    @Command(name = "list", description = "List platform keys (never the keys themselves).")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withService(config, spec, (keys, out) -> keys.list().forEach(k ->
                    out.printf("%d\t%s\t%s…%s\t%s%n", k.id().value(), k.name(), PlatformKeyToken.PREFIX, k.hint(),
                            k.revokedAt().map(t -> "revoked " + t).orElse("active"))));
        }
    }

    @Command(name = "revoke", description = "Revoke a platform key; running servers refuse it within a second.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Parameters(paramLabel = "KEY_ID", description = "Platform key id")
        long key;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withService(config, spec, (keys, out) -> {
                var revoked = keys.revoke(new PlatformKeyId(Commands.positive(key)));
                out.printf("Revoked platform key %d (\"%s\")%n", revoked.id().value(), revoked.name());
            });
        }
    }

    private static int withService(ConfigOption config, CommandSpec spec,
                                   BiConsumer<PlatformKeyService, PrintWriter> action) {
        try (Store store = Commands.open(config.load(), spec)) {
            action.accept(new PlatformKeyService(store.platformKeys(), Clock.systemUTC(), id -> { }),
                    spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
