package chatbridge.payloads;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * jq's built-in functions, loaded once into a root scope that every evaluation reads and none writes (jackson-jq's
 * documented way to share them between threads). jackson-jq has no timeout and nothing that can stop it from
 * outside, so each built-in is wrapped to spend from the evaluating thread's {@link Budget}: every call is a tick, and
 * so is every value range/1-3 emits, the one built-in that loops in Java without calling anything else
 * ({@code [range(infinite)]}, {@code reduce range(infinite) as $i (...)}). The other ways to loop are recursive jq
 * functions, which end in a StackOverflowError.
 */
final class JqBuiltins {
    static final Version VERSION = Versions.JQ_1_7;

    /** Function lookups happen at run time, through scopes whose root is this one. */
    static final Scope ROOT = load();

    private static final ThreadLocal<Budget> BUDGETS = ThreadLocal.withInitial(Budget::new);

    private JqBuiltins() {
    }

    /** The calling thread's budget, started for one evaluation. */
    static Budget start(long timeLimitNanos) {
        Budget budget = BUDGETS.get();
        budget.start(timeLimitNanos, Integer.MAX_VALUE);
        return budget;
    }

    private static Scope load() {
        Scope root = Scope.newEmptyScope();
        // Built-ins written in jq resolve the functions they call through their closure scope: root, so they call
        // the wrapped ones too. (env/0 is not among them: jackson-jq leaves it out of the loader.)
        Map<String, Function> builtins = BuiltinFunctionLoader.getInstance().listFunctions(VERSION, root);
        builtins.forEach((name, builtin) ->
                root.addFunction(name, name.startsWith("range/") ? new Generator(builtin) : new Checkpoint(builtin)));
        return root;
    }

    private static final class Checkpoint implements Function {
        private final Function builtin;

        Checkpoint(Function builtin) {
            this.builtin = builtin;
        }

        @Override
        public void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
                throws JsonQueryException {
            BUDGETS.get().tick();
            builtin.apply(scope, args, in, path, output, version);
        }
    }

    private static final class Generator implements Function {
        private final Function builtin;

        Generator(Function builtin) {
            this.builtin = builtin;
        }

        @Override
        public void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
                throws JsonQueryException {
            Budget budget = BUDGETS.get();
            budget.tick();
            builtin.apply(scope, args, in, path, (value, valuePath) -> {
                budget.tick();
                output.emit(value, valuePath);
            }, version);
        }
    }
}
