// Compiled by the test Build.RefusesAnEngineStageHeaderOutsideTheEngine with the include paths
// cli/ has: the stage header must refuse to compile (engine/internal.h).
#include "engine/compose/compositor.h"
