#!/usr/bin/perl
# anyloop lab stand-in for a host's TCP and UDP services: every TCP connection and every UDP datagram is answered
# with the host's name, so a probe tells which host answered. One process serves all the sockets of a host.
#
#   perl answer.pl NAME SOCKETS-FILE      SOCKETS-FILE: one "tcp|udp ADDRESS FIRST LAST V6ONLY" per line
#
# A UDP datagram is read first and answered from the same socket (recv, then send to the sender): no fork, no race
# with the next datagram. A socket bound to the wildcard sends its answer from the source address the kernel picks
# for the reply's route (no IP_PKTINFO), as most UDP daemons on 0.0.0.0 do; a client whose request went to another
# address of the host then drops the answer, just as it would from the real daemon.
use strict;
use warnings;
use IO::Socket::IP;
use IO::Select;
use Socket qw(SOCK_STREAM SOCK_DGRAM);

my ($name, $file) = @ARGV;
die "usage: answer.pl NAME SOCKETS-FILE\n" unless defined $file;
my $answer = "$name\n";
my $select = IO::Select->new;
my %udp;
open(my $in, '<', $file) or die "answer.pl: $file: $!\n";
while (my $line = <$in>) {
    chomp $line;
    next if $line eq '';
    my ($proto, $addr, $first, $last, $v6only) = split / /, $line;
    for my $port ($first .. $last) {
        my %opt = (LocalHost => $addr, LocalPort => $port, ReuseAddr => 1, Blocking => 0,
                   Type => $proto eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM);
        $opt{Listen} = 128 if $proto eq 'tcp';
        $opt{V6Only} = $v6only if $addr =~ /:/;
        my $s = IO::Socket::IP->new(%opt) or die "answer.pl: $proto $addr:$port: $@\n";
        $udp{fileno $s} = 1 if $proto eq 'udp';
        $select->add($s);
    }
}
close $in;
$SIG{PIPE} = 'IGNORE';
while (1) {
    for my $s ($select->can_read) {
        if ($udp{fileno $s}) {
            my $peer = $s->recv(my $buf, 65535);
            $s->send($answer, 0, $peer) if defined $peer;
        } elsif (my $c = $s->accept) {
            $c->blocking(1);
            $c->syswrite($answer);
            $c->close;
        }
    }
}
