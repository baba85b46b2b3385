import FFKernels
print("ffnb \(OpenBLASInfo.coreName)")
