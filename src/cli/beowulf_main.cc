#include "cli/app.h"

int main(int argc, char** argv) { return beowulf::cli::run_app(argc, argv); }
