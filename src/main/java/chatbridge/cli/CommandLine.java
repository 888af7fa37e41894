package chatbridge.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An admin command line taken apart: the command, the partner it is about, its options. */
final class CommandLine {
    static final String USAGE = """
            usage: java -jar chat-bridge.jar admin <command> [options]

            commands:
              partners                  a table of the partners: state, queued, in flight, dead letters, expired,
                                        last HTTP status, consecutive failures, last success and failure
              partners pause <id>       pause deliveries to a partner
              partners resume <id>      resume deliveries to a partner
              dlq list    [filters] [--body]
                                        a table of dead letters; --body adds each message's body
              dlq replay  [filters] [--id ID ...] [--dry-run] [--ignore-freshness]
                                        move the matching dead letters back to the queue they failed from, with a
                                        fresh attempt budget; --dry-run only counts them; EXPIRED.* ones are
                                        delivered despite their age only with --ignore-freshness
              dlq purge   [filters] [--id ID ...] --yes
                                        delete the matching dead letters for good
              reload                    re-read the partners file (an invalid one is refused and the running
                                        configuration kept)

            filters (dlq):
              --queue Q                 DLQ.webhook.<partner>, EXPIRED.webhook.<partner> or DLQ.chat.<type>;
                                        all of them when not given
              --partner P  --type T  --reason R
              --since S  --until U      an ISO-8601 instant (2026-12-02T10:00:00Z) or an age: 30s, 15m, 2h, 7d
              --limit N                 at most N dead letters, 1..1000 (dlq list: 100 when not given)
              --id ID                   (replay, purge) that dead letter; repeat for more

            options:
              --url URL                 the bridge's management server; default $ADMIN_URL, else
                                        http://127.0.0.1:$MANAGEMENT_PORT, else http://127.0.0.1:9876
              --token T                 the admin token: a value, env:NAME or file:/path; default $ADMIN_TOKEN
                                        (prefer env: or file:, a value on the command line shows in ps)
              --json                    print the API's JSON answer as it is
              --help                    this text

            exit codes: 0 done, 1 the bridge answered with an error, 2 usage error,
                        3 not authorized or the admin API is off, 4 the bridge cannot be reached
            """;

    static final List<String> FILTERS = List.of("queue", "partner", "type", "reason", "since", "until", "limit");
    private static final Set<String> GLOBAL = Set.of("url", "token", "json", "help");
    private static final Set<String> TAKING_VALUES =
            Set.of("url", "token", "queue", "partner", "type", "reason", "since", "until", "limit", "id");
    private static final Set<String> FLAGS = Set.of("json", "help", "body", "dry-run", "ignore-freshness", "yes");

    enum Command {
        PARTNERS("partners", false),
        PAUSE("partners pause", false),
        RESUME("partners resume", false),
        LIST_DEAD_LETTERS("dlq list", true, "body"),
        REPLAY_DEAD_LETTERS("dlq replay", true, "id", "dry-run", "ignore-freshness"),
        PURGE_DEAD_LETTERS("dlq purge", true, "id", "yes"),
        RELOAD("reload", false);

        private final String words;
        private final boolean filtered;
        private final Set<String> ownOptions;

        Command(String words, boolean filtered, String... ownOptions) {
            this.words = words;
            this.filtered = filtered;
            this.ownOptions = Set.of(ownOptions);
        }

        boolean takesPartnerId() {
            return this == PAUSE || this == RESUME;
        }

        boolean allows(String option) {
            return GLOBAL.contains(option) || (filtered && FILTERS.contains(option)) || ownOptions.contains(option);
        }

        @Override
        public String toString() {
            return words;
        }
    }

    private final Command command;
    private final String partnerId;
    private final Map<String, String> values;
    private final List<String> ids;
    private final Set<String> flags;

    private CommandLine(Command command, String partnerId, Map<String, String> values, List<String> ids,
            Set<String> flags) {
        this.command = command;
        this.partnerId = partnerId;
        this.values = values;
        this.ids = ids;
        this.flags = flags;
    }

    /** Help wins over everything else on the line, so a half-typed command can still ask for it. */
    static boolean asksForHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    static CommandLine parse(String[] args) throws UsageException {
        List<String> words = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unknown option " + arg);
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (TAKING_VALUES.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    value = "";
                }
                if (value.isBlank()) {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (name.equals("id")) {
                    ids.add(value);
                } else if (values.putIfAbsent(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            } else if (FLAGS.contains(name)) {
                if (equals >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        if (values.containsKey("limit")) {
            try {
                Integer.parseInt(values.get("limit"));
            } catch (NumberFormatException e) {
                throw new UsageException("--limit takes a whole number (1..1000)");
            }
        }

        Command command = command(words);
        String partnerId = command.takesPartnerId() ? words.get(2) : null;
        for (String option : concat(values.keySet(), flags, ids.isEmpty() ? Set.of() : Set.of("id"))) {
            if (!command.allows(option)) {
                throw new UsageException("--" + option + " does not apply to " + command);
            }
        }
        if (command == Command.PURGE_DEAD_LETTERS && !flags.contains("yes")) {
            throw new UsageException("dlq purge deletes the matching dead letters for good: add --yes to go ahead"
                    + " (dlq list with the same filters shows them)");
        }
        return new CommandLine(command, partnerId, values, List.copyOf(ids), flags);
    }

    private static Command command(List<String> words) throws UsageException {
        if (words.isEmpty()) {
            throw new UsageException("no command given");
        }
        Command command = switch (words.get(0)) {
            case "partners" -> words.size() == 1 ? Command.PARTNERS : switch (words.get(1)) {
                case "pause" -> Command.PAUSE;
                case "resume" -> Command.RESUME;
                default -> throw new UsageException("partners takes pause <id> or resume <id>, not '" + words.get(1) + "'");
            };
            case "dlq" -> {
                if (words.size() == 1) {
                    throw new UsageException("dlq needs list, replay or purge");
                }
                yield switch (words.get(1)) {
                    case "list" -> Command.LIST_DEAD_LETTERS;
                    case "replay" -> Command.REPLAY_DEAD_LETTERS;
                    case "purge" -> Command.PURGE_DEAD_LETTERS;
                    default -> throw new UsageException("dlq takes list, replay or purge, not '" + words.get(1) + "'");
                };
            }
            case "reload" -> Command.RELOAD;
            default -> throw new UsageException("unknown command '" + words.get(0) + "'");
        };
        int expectedWords = command.words.split(" ").length + (command.takesPartnerId() ? 1 : 0);
        if (words.size() < expectedWords) {
            throw new UsageException(command + " needs a partner id");
        }
        if (words.size() > expectedWords) {
            throw new UsageException("unexpected argument '" + words.get(expectedWords) + "' after " + command);
        }
        return command;
    }

    @SafeVarargs
    private static List<String> concat(Set<String>... sets) {
        List<String> all = new ArrayList<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    Command command() {
        return command;
    }

    /** Only for partners pause and partners resume. */
    String partnerId() {
        return partnerId;
    }

    /** @return the option's value, null when not given */
    String value(String option) {
        return values.get(option);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    List<String> ids() {
        return ids;
    }
}
