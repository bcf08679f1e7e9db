// One Kafka broker and one Apicurio Registry for the whole run, started from the images the Makefile
// picked (SCHEMAWIRE_KAFKA_IMAGE / SCHEMAWIRE_REGISTRY_IMAGE). If they cannot start, the run fails.
import { jestGlobalSetup } from '@schemawire/testcontainers';

export default jestGlobalSetup();
