#ifndef FFNB_CZLIB_SHIM_H
#define FFNB_CZLIB_SHIM_H
#include <zlib.h>
#endif
