package dev.herald.app.cli;

import dev.herald.app.Herald;
import dev.herald.app.ops.LogOutput;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.service.account.AccountService;
import dev.herald.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** The {@code herald} command line: serve, migrate, and account/key administration against the configured store. */
@Command(name = "herald", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Commands.Version.class,
        description = "Herald, a self-hosted webhook delivery service.",
        subcommands = {Commands.Serve.class, Commands.Migrate.class, Commands.AccountCommands.class,
                Commands.KeyCommands.class, PlatformKeyCommands.class, PortalLinkCommand.class})
public final class Commands {
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log at INFO on stderr (commands other than serve log only warnings, always on stderr).")
    boolean verbose;

    /** Opens the store of the loaded configuration; tests replace it to share a store. */
    static Function<dev.herald.app.config.HeraldConfig, Store> storeOpener = Herald::openStore;

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"Herald " + Herald.version()};
        }
    }

    @Command(name = "serve", description = "Run the API and the delivery engine until stopped (SIGTERM/Ctrl-C).")
    static final class Serve implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws InterruptedException {
            var herald = Herald.start(config.load(), Clock.systemUTC());
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                herald.close();
                LogOutput.flush(); // Herald's last lines are on stdout before the JVM halts
                stopped.countDown();
            }, "herald-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "migrate", description = "Apply database migrations to the configured store and exit.")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var loaded = config.load();
            try (Store store = open(loaded, spec)) {
                spec.commandLine().getOut().println("Migrations applied to " + loaded.describeStore() + " (" + store.kind() + ")");
            }
            return 0;
        }
    }

    @Command(name = "account", description = "Manage accounts (tenants).",
            subcommands = {AccountCommands.Create.class, AccountCommands.List.class, AccountCommands.Disable.class,
                    AccountCommands.Enable.class, AccountCommands.Delete.class})
    static final class AccountCommands {
        @Command(name = "create", description = "Create an account.")
        static final class Create implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Option(names = "--name", required = true, description = "Account name")
            String name;
            @Option(names = "--uid", description = "Your own id for this customer (unique; the platform may publish "
                    + "for the account by it)")
            String uid;
            @Option(names = "--metadata", description = "A label, key=value (repeatable)")
            java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    var account = admin.createAccount(name, java.util.Optional.ofNullable(uid), metadata);
                    out.printf("Created account %d (uuid %s) \"%s\"%n", account.id().value(), account.uuid(), account.name());
                    out.printf("Next: %s key create --account %d%n", Herald.cliCommand(), account.id().value());
                });
            }
        }

        @Command(name = "list", description = "List accounts.")
        static final class List implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> admin.accounts().forEach(a ->
                        out.printf("%d\t%s\t%s\t%s%n", a.id().value(), a.uuid(), a.name(), a.status().wireName())));
            }
        }

        @Command(name = "disable", description = "Disable an account: its keys are refused and its endpoints' "
                + "deliveries held until it is enabled (running servers within a few seconds).")
        static final class Disable implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Parameters(paramLabel = "ACCOUNT_ID", description = "Account id")
            long account;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    admin.disable(new AccountId(positive(account)));
                    out.printf("Disabled account %d: its keys are refused and its deliveries held%n", account);
                });
            }
        }

        @Command(name = "enable", description = "Enable a disabled account again; held deliveries go out.")
        static final class Enable implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Parameters(paramLabel = "ACCOUNT_ID", description = "Account id")
            long account;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    admin.enable(new AccountId(positive(account)));
                    out.printf("Enabled account %d%n", account);
                });
            }
        }

        @Command(name = "delete", description = "Delete an account and purge everything it owns (keys, endpoints, "
                + "events, deliveries, attempts). Cannot be undone.")
        static final class Delete implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Parameters(paramLabel = "ACCOUNT_ID", description = "Account id")
            long account;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    var deletion = admin.delete(new AccountId(positive(account)));
                    if (deletion.complete()) {
                        out.printf("Deleted account %d and purged its data%n", account);
                    } else {
                        out.printf("Deleted account %d; deliveries in flight keep a few rows until their leases end: "
                                + "a running Herald's retention pass purges them, or run this command again%n", account);
                    }
                });
            }
        }
    }

    @Command(name = "key", description = "Manage API keys.",
            subcommands = {KeyCommands.Create.class, KeyCommands.List.class, KeyCommands.Revoke.class})
    static final class KeyCommands {
        @Command(name = "create", description = "Issue an API key for an account. The key is shown once.")
        static final class Create implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Option(names = "--account", required = true, description = "Account id")
            long account;
            @Option(names = "--name", defaultValue = "default", description = "Key name")
            String name;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    var issued = admin.issueKey(new AccountId(positive(account)), name);
                    out.printf("Created API key %d for account %d (\"%s\"). It is shown only once; store it now:%n",
                            issued.key().id().value(), account, issued.key().name());
                    out.println(issued.token().value());
                });
            }
        }

        @Command(name = "list", description = "List an account's API keys (never the keys themselves).")
        static final class List implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Option(names = "--account", required = true, description = "Account id")
            long account;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> admin.keys(new AccountId(positive(account))).forEach(k ->
                        out.printf("%d\t%s\tsk_live_…%s\t%s%n", k.id().value(), k.name(), k.hint(),
                                k.revokedAt().map(t -> "revoked " + t).orElse("active"))));
            }
        }

        @Command(name = "revoke", description = "Revoke an API key; running servers refuse it within a second.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            ConfigOption config;
            @Parameters(paramLabel = "KEY_ID", description = "Key id")
            long key;
            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                return withAdmin(config, spec, (admin, out) -> {
                    var revoked = admin.revokeKey(new ApiKeyId(positive(key)));
                    out.printf("Revoked API key %d of account %d%n", revoked.id().value(), revoked.accountId().value());
                });
            }
        }
    }

    interface AdminAction {
        void run(AccountService admin, PrintWriter out);
    }

    static int withAdmin(ConfigOption config, CommandSpec spec, AdminAction action) {
        try (Store store = open(config.load(), spec)) {
            action.run(new AccountService(store, Clock.systemUTC()), spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** Opens the configured store and says which on stderr, so a command run from the wrong place shows it. */
    /** Opens the configured store and says on stderr which one, so a script reading stdout gets only the result. */
    static Store open(dev.herald.app.config.HeraldConfig config, CommandSpec spec) {
        Store store = storeOpener.apply(config);
        spec.commandLine().getErr().println("herald: store " + config.describeStore());
        spec.commandLine().getErr().flush();
        return store;
    }

    static long positive(long value) {
        if (value <= 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Commands()),
                    "ids are positive integers, got " + value);
        }
        return value;
    }
}
