"""Tiny network sizes of the zoo estimators, shared by the test modules.

Small enough that training one epoch takes a fraction of a second; keyed by
class name.
"""

TINY_ZOO = {
    "BGAttentionDenoiser": dict(module__hidden=4, module__n_heads=2,
                                module__frame=16),
    "FCNNDenoiser": dict(module__hidden=8, module__n_hidden_layers=1),
    "SimpleCNNDenoiser": dict(module__channels=2, module__n_layers=1,
                              module__head="conv"),
    "ComplexCNNDenoiser": dict(module__channels=2, module__bottleneck=2,
                               module__n_blocks=1, module__head="conv"),
    "LSTMDenoiser": dict(module__dense=8, module__n_dense=1),
    "UNetDenoiser": dict(module__depth=1, module__channels=2),
    "BiLSTMAEDenoiser": dict(module__frame=32, module__hidden=4,
                             module__latent=2),
    "DVAEDenoiser": dict(module__channels=(2,), module__latent_channels=1),
}
