package dev.anyloop.cli;

import picocli.CommandLine.Option;

/** The {@code --name N} option every lab subcommand shares (default "lab"). */
final class LabName {
    @Option(names = "--name", defaultValue = "lab", description = "lab name: [a-z][a-z0-9]{0,11} (default ${DEFAULT-VALUE})")
    String name;
}
