package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lab fail [--name N] HOST|HOST:IFACE}: takes a host's interfaces, or one link, of a running lab down. */
@Command(name = "fail", mixinStandardHelpOptions = true,
        description = "Take every interface of HOST down (it loses power), or only HOST:IFACE (its cable is pulled). Routes of "
                + "other hosts through it stay: Linux keeps a route whose gateway went silent. 'lab restore' brings it back.")
final class LabFailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    LabName labName;

    @Parameters(index = "0", paramLabel = "HOST[:IFACE]", converter = Target.Converter.class, description = "a host, or one of its interfaces")
    Target target;

    /** What to fail: a host, or one interface of it. */
    record Target(String host, Optional<String> dev) {
        static Target parse(String s) {
            if (s.indexOf(':') < 0) {
                if (s.isEmpty()) throw new IllegalArgumentException("Invalid target '': expected HOST or HOST:IFACE");
                return new Target(s, Optional.empty());
            }
            Lab.Iface i = Lab.Iface.parse(s);
            return new Target(i.host(), Optional.of(i.dev()));
        }

        /** picocli converter: quotes the input and the reason. */
        static final class Converter implements ITypeConverter<Target> {
            @Override
            public Target convert(String value) {
                try {
                    return parse(value);
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(e.getMessage());
                }
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Lab.Iface> down;
        try {
            down = Lab.fail(labName.name, target.host(), target.dev());
        } catch (IllegalArgumentException | Lab.NotUpException e) {
            spec.commandLine().getErr().println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        for (Lab.Iface i : down) out.printf("lab %s: %s down%n", labName.name, i);
        if (down.isEmpty()) out.printf("lab %s: %s has no interfaces to take down%n", labName.name, target.host());
        return Main.OK;
    }
}
