/**
 * Configuration: YAML read at the edge into immutable records, validated at load, all errors at
 * once, each naming its key path, the value and what was expected. Nothing past this package sees
 * YAML or maps.
 */
package io.tandem.config;
