#ifndef FFNB_COPENBLAS_SHIM_H
#define FFNB_COPENBLAS_SHIM_H
// Debian installs cblas.h under the openblas-pthread include directory that
// `pkg-config openblas` names; openblas_config.h declares openblas_get_config,
// openblas_get_corename and the thread controls.
#include <cblas.h>
#endif
