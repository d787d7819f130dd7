package org.backproplab.core.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./lab completion bash}: a completion script for bash (and zsh with bashcompinit), from picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script: source <(./lab completion bash).",
        description = {"Print a shell completion script for ./lab. Load it with",
            "  source <(./lab completion bash)",
            "or save it as ~/.local/share/bash-completion/completions/lab. zsh: autoload -U bashcompinit && bashcompinit first."})
final class CompletionCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "bash (the script also works in zsh with bashcompinit); default ${DEFAULT-VALUE}")
    String shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            System.err.println("error: completion is available for bash and zsh, not '" + shell + "'");
            return LabCommand.EXIT_BAD_INPUT;
        }
        // The completion's own subcommand would complete itself: generate from the root command.
        System.out.print(AutoComplete.bash("lab", spec.parent().commandLine()));
        System.out.flush();
        return 0;
    }
}
