#ifndef RENSA_VERSION_H
#define RENSA_VERSION_H
#define RENSA_VERSION "0.1.0"
#endif
