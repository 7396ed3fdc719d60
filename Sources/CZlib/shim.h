// zlib (zlib1g-dev on Debian): read the `.gz` files `postfix logrotate` and logrotate(8) leave behind.
#include <zlib.h>
