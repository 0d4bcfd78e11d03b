#!/bin/sh
# As the official image: no config file given -> protected mode off (the network is the
# compose project's own); run as the redis user in /data.
set -eu
chown -R redis:redis /data
[ "$1" = redis-server ] && shift && set -- redis-server --protected-mode no "$@"
exec setpriv --reuid=redis --regid=redis --init-groups "$@"
