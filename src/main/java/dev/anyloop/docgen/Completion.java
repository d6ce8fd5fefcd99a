package dev.anyloop.docgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Bash and zsh completion from the picocli model. Both scripts carry the same tables (subcommands, options, and the
 * kind of value each option or positional takes) and the same walk over the command line; values of kind host,
 * service, segment and address come from {@code anyloop __complete KIND FILE}, FILE being the network.yaml that the
 * command line names, so Tab offers the names of the network being worked on.
 */
final class Completion {
    private Completion() { }

    /** What a value is, as far as completion is concerned. */
    enum Kind { WORDS, FILE, DIR, HOST, SERVICE, SEGMENT, ADDRESS, OTHER }

    /** The tables both scripts are generated from. */
    record Tables(Map<String, String> subs, Map<String, String> opts, Map<String, Kind> kinds, Map<String, String> words) { }

    static Tables tables(CommandSpec root) {
        Tables t = new Tables(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        add(root, t);
        return t;
    }

    private static void add(CommandSpec spec, Tables t) {
        String path = spec.qualifiedName(" ");
        List<String> subs = new ArrayList<>();
        for (CommandLine sub : ManPages.visibleSubcommands(spec)) subs.add(sub.getCommandSpec().name());
        t.subs().put(path, String.join(" ", subs));
        List<String> opts = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            for (String n : o.names()) {
                opts.add(n);
                if (o.arity().max() > 0) value(path + " " + n, o, t);
            }
        }
        t.opts().put(path, String.join(" ", opts));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            int from = p.index().min();
            value(path + " " + from, p, t);
            if (p.index().isUnspecified() || p.index().max() == Integer.MAX_VALUE || p.arity().max() > 1) {
                value(path + " rest", p, t);
            } else {
                for (int i = from + 1; i <= p.index().max(); i++) value(path + " " + i, p, t);
            }
        }
        for (CommandLine sub : ManPages.visibleSubcommands(spec)) add(sub.getCommandSpec(), t);
    }

    private static void value(String key, ArgSpec a, Tables t) {
        Kind k = kind(a);
        t.kinds().put(key, k);
        if (k == Kind.WORDS) {
            List<String> ws = new ArrayList<>();
            a.completionCandidates().forEach(ws::add);
            t.words().put(key, String.join(" ", ws));
        }
    }

    /** By the label the help shows (HOST, SERVICE, ADDR, DIR, FILE), else by the Java type. */
    static Kind kind(ArgSpec a) {
        if (a.completionCandidates() != null) return Kind.WORDS;
        String label = ManPages.label(a).toUpperCase(Locale.ROOT);
        if (label.startsWith("HOST")) return Kind.HOST;
        if (label.startsWith("SERVICE")) return Kind.SERVICE;
        if (label.startsWith("SEGMENT")) return Kind.SEGMENT;
        if (label.equals("ADDR") || label.equals("ADDRESS")) return Kind.ADDRESS;
        if (label.equals("DIR")) return Kind.DIR;
        if (label.equals("FILE") || Path.class.isAssignableFrom(a.type()) || java.io.File.class.isAssignableFrom(a.type())) {
            return Kind.FILE;
        }
        return Kind.OTHER;
    }

    static String bash(CommandSpec root) {
        Tables t = tables(root);
        StringBuilder s = new StringBuilder();
        s.append("# bash completion for anyloop; generated from its picocli model by dev.anyloop.docgen (do not edit)\n");
        s.append("# Names of hosts, services and addresses come from the network.yaml on the command line.\n");
        arrays(s, t, "declare -gA");
        s.append(BASH);
        return s.toString();
    }

    static String zsh(CommandSpec root) {
        Tables t = tables(root);
        StringBuilder s = new StringBuilder();
        s.append("#compdef anyloop\n");
        s.append("# zsh completion for anyloop; generated from its picocli model by dev.anyloop.docgen (do not edit)\n");
        s.append("# Names of hosts, services and addresses come from the network.yaml on the command line.\n");
        arrays(s, t, "typeset -gA");
        s.append(ZSH);
        return s.toString();
    }

    private static void arrays(StringBuilder s, Tables t, String declare) {
        table(s, declare, "_anyloop_subs", t.subs());
        table(s, declare, "_anyloop_opts", t.opts());
        Map<String, String> kinds = new LinkedHashMap<>();
        t.kinds().forEach((k, v) -> kinds.put(k, v.name().toLowerCase(Locale.ROOT)));
        table(s, declare, "_anyloop_kind", kinds);
        table(s, declare, "_anyloop_words", t.words());
    }

    private static void table(StringBuilder s, String declare, String name, Map<String, String> m) {
        s.append(declare).append(' ').append(name).append("=(\n");
        m.forEach((k, v) -> s.append("  [").append(quote(k)).append("]=").append(quote(v)).append('\n'));
        s.append(")\n");
    }

    /** Single quotes, which neither shell expands inside; a quote in the text is closed, escaped and reopened. */
    static String quote(String v) { return "'" + v.replace("'", "'\\''") + "'"; }

    private static final String BASH = """

            # Values: $1 kind, $2 word typed so far, $3 network.yaml or empty, $4 candidate words.
            _anyloop_values() {
              local kind=$1 cur=$2 file=$3 words=$4 IFS=$'\\n'
              [[ $file == "~/"* ]] && file=$HOME/${file#"~/"} # the line holds the word as typed, tilde unexpanded
              case $kind in
                words) COMPREPLY+=($(IFS=' '; compgen -W "$words" -- "$cur")) ;;
                file) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
                dir) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
                host|service|segment|address)
                  [[ -n $file && -r $file ]] && COMPREPLY+=($(compgen -W "$(anyloop __complete "$kind" "$file" 2>/dev/null)" -- "$cur")) ;;
              esac
            }

            _anyloop() {
              local cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} cmd=anyloop file= pos=0 seen=0 i w kind opt=
              COMPREPLY=()
              # bash splits --opt=value at '=' (COMP_WORDBREAKS): "--opt" "=" "value"
              for (( i = 1; i < ${#COMP_WORDS[@]}; i++ )); do
                (( i == cword )) && continue
                w=${COMP_WORDS[i]}
                if [[ $w == -* ]]; then
                  if [[ -n ${_anyloop_kind["$cmd $w"]} ]]; then
                    if [[ ${COMP_WORDS[i+1]} == = ]]; then (( i += 2 )); else (( i += 1 )); fi
                  fi
                elif (( i < cword && seen == 0 )) && [[ " ${_anyloop_subs[$cmd]} " == *" $w "* ]]; then
                  cmd="$cmd $w"
                else
                  kind=${_anyloop_kind["$cmd $seen"]:-${_anyloop_kind["$cmd rest"]}}
                  [[ -z $file && $kind == file ]] && file=$w
                  (( i < cword )) && (( pos += 1 ))
                  (( seen += 1 ))
                fi
              done
              local prev=${COMP_WORDS[cword-1]}
              if [[ $cur == = ]]; then opt=$prev; cur=
              elif [[ $prev == = ]]; then opt=${COMP_WORDS[cword-2]}
              elif [[ $prev == -* && -n ${_anyloop_kind["$cmd $prev"]} ]]; then opt=$prev
              fi
              if [[ -n $opt ]]; then
                _anyloop_values "${_anyloop_kind["$cmd $opt"]}" "$cur" "$file" "${_anyloop_words["$cmd $opt"]}"
                return 0
              fi
              if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "${_anyloop_opts[$cmd]}" -- "$cur"))
                return 0
              fi
              (( pos == 0 )) && COMPREPLY=($(compgen -W "${_anyloop_subs[$cmd]}" -- "$cur"))
              kind=${_anyloop_kind["$cmd $pos"]:-${_anyloop_kind["$cmd rest"]}}
              [[ -n $kind ]] && _anyloop_values "$kind" "$cur" "$file" "${_anyloop_words["$cmd $pos"]:-${_anyloop_words["$cmd rest"]}}"
              return 0
            }
            complete -F _anyloop anyloop
            """;

    private static final String ZSH = """

            # Values: $1 kind, $2 network.yaml or empty, $3 candidate words.
            _anyloop_values() {
              local kind=$1 file=$2 words=$3
              [[ $file == '~/'* ]] && file=$HOME/${file#'~/'} # the line holds the word as typed, tilde unexpanded
              case $kind in
                words) compadd -- ${=words} ;;
                file) _files ;;
                dir) _files -/ ;;
                host|service|segment|address)
                  [[ -n $file && -r $file ]] && compadd -- ${(f)"$(anyloop __complete $kind $file 2>/dev/null)"} ;;
              esac
            }

            _anyloop() {
              local cmd=anyloop file= pos=0 seen=0 i w kind opt= cur=${words[CURRENT]}
              for (( i = 2; i <= ${#words}; i++ )); do
                (( i == CURRENT )) && continue
                w=${words[i]}
                if [[ $w == -* ]]; then
                  [[ $w != *=* && -n ${_anyloop_kind[$cmd $w]} ]] && (( i += 1 ))
                elif (( i < CURRENT && seen == 0 )) && [[ " ${_anyloop_subs[$cmd]} " == *" $w "* ]]; then
                  cmd="$cmd $w"
                else
                  kind=${_anyloop_kind[$cmd $seen]:-${_anyloop_kind[$cmd rest]}}
                  [[ -z $file && $kind == file ]] && file=$w
                  (( i < CURRENT )) && (( pos += 1 ))
                  (( seen += 1 ))
                fi
              done
              local prev=${words[CURRENT-1]}
              if [[ $cur == -*=* ]]; then
                opt=${cur%%=*}
                compset -P '*='
              elif [[ $prev == -* && -n ${_anyloop_kind[$cmd $prev]} ]]; then
                opt=$prev
              fi
              if [[ -n $opt ]]; then
                _anyloop_values "${_anyloop_kind[$cmd $opt]}" "$file" "${_anyloop_words[$cmd $opt]}"
                return
              fi
              if [[ $cur == -* ]]; then
                compadd -- ${=_anyloop_opts[$cmd]}
                return
              fi
              (( pos == 0 )) && compadd -- ${=_anyloop_subs[$cmd]}
              kind=${_anyloop_kind[$cmd $pos]:-${_anyloop_kind[$cmd rest]}}
              [[ -n $kind ]] && _anyloop_values "$kind" "$file" "${_anyloop_words[$cmd $pos]:-${_anyloop_words[$cmd rest]}}"
            }

            _anyloop "$@"
            """;
}
