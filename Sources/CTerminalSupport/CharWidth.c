#define _XOPEN_SOURCE 700
#include "CharWidth.h"

#include <wchar.h>

int ctr_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
