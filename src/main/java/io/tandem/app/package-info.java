/**
 * The composition root: builds every part from the config through constructors, starts and stops
 * them in order, and the {@code tandem} command line (run, witness, check, demo, demo-backend, version).
 */
package io.tandem.app;
