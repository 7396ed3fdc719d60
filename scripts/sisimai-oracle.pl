#!/usr/bin/perl
# The Sisimai oracle of chatter's bounce reading: reads every mail of a folder
# (*.eml, sorted) with Sisimai and prints one JSON line per recipient it finds:
#   {"file":"cause-x.eml","recipient":"a@b","alias":"","reason":"userunknown",
#    "hardbounce":true,"deliverystatus":"5.1.1","action":"failed"}
# A mail Sisimai does not take for a bounce prints one line with "recipient":null
# and "reason":null, so that the comparison sees it too.
# Usage: scripts/sisimai-oracle.pl DIR
# Needs Sisimai (Debian: libsisimai-perl; `make deps` installs it).
use strict;
use warnings;
use Sisimai;
use JSON::PP;

my $dir = shift or die "usage: $0 DIR\n";
opendir(my $dh, $dir) or die "$0: cannot read $dir: $!\n";
my @files = sort grep { /\.eml$/ && -f "$dir/$_" } readdir($dh);
closedir($dh);

my $json = JSON::PP->new->canonical;
for my $file (@files) {
    my $found = Sisimai->make("$dir/$file", 'delivered' => 1) || [];
    if (!@$found) {
        print $json->encode({ file => $file, recipient => undef, reason => undef }), "\n";
        next;
    }
    for my $e (@$found) {
        print $json->encode({
            file           => $file,
            recipient      => lc($e->recipient->address // ''),
            alias          => lc($e->alias // ''),
            reason         => $e->reason,
            hardbounce     => ($e->softbounce == 0 ? JSON::PP::true : JSON::PP::false),
            deliverystatus => $e->deliverystatus // '',
            action         => $e->action // '',
        }), "\n";
    }
}
