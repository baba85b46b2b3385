#ifndef FFNB_CZMQ_SHIM_H
#define FFNB_CZMQ_SHIM_H
#include <zmq.h>
#endif
